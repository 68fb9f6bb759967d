extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
fontawesome_included = True
exclude_patterns = ["_build"]
blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
post_date_format = "%Y-%m-%d"
# the post card on every page under posts/, posts or not
html_sidebars = {"posts/**": ["ablog/postcard.html"]}
