extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.latest_updates",
              "zhiyuan.pages.last_updated", "zhiyuan.web.social_meta", "zhiyuan.web.json_ld"]
language = "zh_CN"
project = "测试站"
html_theme = "basic"
html_baseurl = "https://example.org/zh-cn/latest/"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = html_baseurl
blog_authors = {"editor": ("编辑部", None), "alice": ("Alice", None)}
blog_default_author = "editor"
fontawesome_included = True
post_date_format = "%Y-%m-%d"
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
exclude_patterns = ["_build"]
