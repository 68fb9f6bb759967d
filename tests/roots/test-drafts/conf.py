extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.latest_updates", "zhiyuan.pages.post_extras"]
language = "zh_CN"
html_theme = "basic"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/"
blog_authors = {"editor": ("编辑部", None)}
blog_default_author = "editor"
fontawesome_included = True
