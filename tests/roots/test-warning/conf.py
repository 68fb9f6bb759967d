extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal"]
language = "zh_CN"
blog_post_pattern = ["posts/*/*.md"]
fontawesome_included = True
