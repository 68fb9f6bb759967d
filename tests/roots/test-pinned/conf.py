extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.latest_updates"]
language = "zh_CN"
html_theme = "basic"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/"
fontawesome_included = True
post_date_format = "%Y-%m-%d"
latest_updates_per_page = 3
