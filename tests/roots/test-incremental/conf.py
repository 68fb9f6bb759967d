extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal", "zhiyuan.pages.ablog_incremental", "zhiyuan.pages.latest_updates", "zhiyuan.pages.post_extras", "zhiyuan.search"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
myst_enable_extensions = ["dollarmath", "colon_fence"]
blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/site/"
blog_feed_archives = True
blog_feed_titles = True
latest_updates_per_page = 2
blog_authors = {"editor": ("编辑部", None)}
blog_default_author = "editor"
post_date_format = "%Y-%m-%d"
post_date_format_short = "%Y-%m-%d"
fontawesome_included = True
html_sidebars = {
    "posts/**": ["portal/browse.html"],  # as on the site
    "blog/**": ["ablog/recentposts.html", "ablog/categories.html", "ablog/tagcloud.html",
                "ablog/archives.html"],
}
