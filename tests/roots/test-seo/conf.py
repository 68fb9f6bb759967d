extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.latest_updates",
              "sphinx_sitemap", "zhiyuan.compat.sphinx_sitemap", "notfound.extension", "zhiyuan.web.robots_txt", "zhiyuan.web.social_meta"]
language = "zh_CN"
project = "测试站"
html_theme = "sphinx_book_theme"
html_baseurl = "https://example.org/zh-cn/latest/"
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = html_baseurl
fontawesome_included = True
post_date_format = "%Y-%m-%d"
sitemap_url_scheme = "{link}"
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html", "404.html", "blog/drafts.html"]
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
notfound_urls_prefix = "/zh-cn/latest/"
notfound_context = {"title": "页面未找到", "body": '<h1>页面未找到</h1><p><a href="/zh-cn/latest/index.html">返回首页</a></p>'}
