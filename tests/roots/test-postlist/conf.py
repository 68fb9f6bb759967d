extensions = ["myst_parser", "ablog", "post_frontmatter", "portal_theme", "ablog_incremental", "latest_updates"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/site/"
fontawesome_included = True
