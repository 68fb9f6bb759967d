extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.ablog_incremental", "zhiyuan.pages.latest_updates"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/site/"
fontawesome_included = True
