extensions = ["myst_parser", "ablog", "post_frontmatter", "portal_theme"]
language = "zh_CN"
blog_post_pattern = ["posts/*/*.md"]
fontawesome_included = True
