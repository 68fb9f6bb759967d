extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.ablog_incremental",
              "zhiyuan.pages.redirects",
              "sphinx_sitemap", "zhiyuan.compat.sphinx_sitemap", "zhiyuan.web.robots_txt"]
language = "zh_CN"
project = "测试站"
html_theme = "basic"
html_baseurl = "https://example.org/zh-cn/latest/"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = html_baseurl
fontawesome_included = True
post_date_format = "%Y-%m-%d"
post_redirect_refresh = 0
sitemap_url_scheme = "{link}"
sitemap_locales = [None]
