extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.latest_updates",
              "zhiyuan.web.social_meta"]
language = "zh_CN"
project = "测试站"
html_theme = "basic"
html_baseurl = "https://example.org/"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = html_baseurl
fontawesome_included = True
post_date_format = "%Y-%m-%d"
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
exclude_patterns = ["_build"]
