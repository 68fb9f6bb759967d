"""Sphinx configuration of the portal.

The source directory is ``docs/``; ``docs/posts`` is a symbolic link to the
repository's ``posts/`` folder, so articles live beside ``docs/`` while Sphinx
(and Read the Docs, which builds ``docs/conf.py`` as it is) reads both.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

# -- Path setup --------------------------------------------------------------

DOCS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS_DIR.parent / "_ext"))

# -- Project information -----------------------------------------------------

project = "知源"
author = "知源编辑部"
copyright = "2025–2026 知源"
language = "zh_CN"

# Absolute URLs (feeds, canonical links) are built from this base.  Read the Docs
# sets READTHEDOCS_CANONICAL_URL; elsewhere the production address is used.
SITE_URL = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://zhiyuan-portal.readthedocs.io/zh-cn/latest/"
)

# -- General configuration ---------------------------------------------------

extensions = [
    "myst_parser",
    "ablog",
    "sphinx_copybutton",
    "sphinxcontrib.katex",
    # ours, in _ext/zhiyuan/: sets up its parts in one explicit order (see PARTS there)
    "zhiyuan",
]

root_doc = "index"
# numbered captions, referenced with {numref}; each post is numbered on its own (zhiyuan.pages.figures)
numfig = True
numfig_format = {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s", "section": "第 %s 节"}
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "**/README.md"]
templates_path = ["_templates"]
suppress_warnings = []

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"]
# `$…$` only as in TeX prose: no space just inside the dollars, no digit right
# after the closing one, so prices ("售价 $5，折后 $3") stay text
myst_dmath_allow_space = False
myst_dmath_allow_digits = False
myst_heading_anchors = 3
# a post may give its title in front matter (title:, as Jekyll, Hexo and Hugo posts do): MyST
# makes it the page's first heading (zhiyuan.posts.frontmatter refuses a second one)
myst_title_to_header = True
# a plain ```mermaid fence (as GitHub shows it) is the {mermaid} directive: drawn at build time
myst_fence_as_directive = ["mermaid"]

# -- Posts (front matter: _ext/zhiyuan/posts/frontmatter.py) ------------------

# The categories a post may name (a warning otherwise); `nox -s new` offers the same.
post_frontmatter_categories = ["Python", "Large Model", "Reinforcement Learning", "Machine Learning"]
post_frontmatter_min_tags = 1

# -- ablog -------------------------------------------------------------------

blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
blog_title = "知源"
blog_baseurl = SITE_URL
blog_authors = {"editor": ("知源编辑部", None)}
blog_default_author = "editor"
blog_feed_archives = True
blog_feed_titles = True
blog_feed_length = 50
blog_feed_subtitle = "机器学习、大模型、强化学习与 Python 的深度文章"
post_date_format = "%Y-%m-%d"
post_date_format_short = "%Y-%m-%d"
post_auto_excerpt = 1
# a post's old addresses (redirect: in its front matter, as `nox -s import` writes it) send readers
# on at once (zhiyuan.pages.redirects)
post_redirect_refresh = 0
# ablog and the pydata theme each set this when it is unset; a value that
# changes between runs makes Sphinx re-read every page.
fontawesome_included = True

# -- LATEST UPDATES index (_ext/zhiyuan/pages/latest_updates) ----------------

latest_updates_per_page = 10
latest_updates_excerpt_length = 350
latest_updates_post_pattern = ["posts/*"]
latest_updates_category_page = "blog/category/{slug}"

# -- HTML output -------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = "知源"
html_baseurl = SITE_URL
html_static_path = ["_static"]
html_css_files = ["portal.css"]
# the date of the last commit that changed each page, from git (sphinx-last-updated-by-git,
# loaded by zhiyuan.pages.last_updated), in every page's footer; never the build's time
html_last_updated_fmt = "%Y-%m-%d"
git_last_updated_timezone = "Asia/Shanghai"
html_show_sourcelink = False
html_copy_source = False
html_favicon = "_static/favicon.svg"
# Sphinx's sphinx_highlight.js marks the words of its own search's ?highlight= links; the
# site's search links without them (zhiyuan.search), so no page loads it.  Bootstrap's script
# (pydata-sphinx-theme's bootstrap.js) only opened the colour-mode menu, showed the back-to-top
# button and made tooltips of titles: zhiyuan.theme.controls does that instead.  The joined
# sheet then keeps none of the rules only these scripts named.  Font Awesome's script: the theme's
# icons are inline SVG (zhiyuan.theme.icons).
page_assets_left_out = ["sphinx_highlight.js", "bootstrap.js", "fontawesome.js"]
# sphinx-design's dropdown chevrons (built from parts); not Bootstrap's tooltip placements,
# since no page loads Bootstrap's script
page_assets_keep = ["sd-summary-chevron-*"]
# scripts only pages with an element of that class load (zhiyuan.theme.page_assets)
page_assets_scripts_for = {
    "clipboard.min.js": "highlight",
    "copybutton.js": "highlight",
    "design-tabs.js": "sd-tab-set",  # sphinx-design: tabs of one :sync: group switch together
    "zhiyuan-design.js": "sd-dropdown",  # dropdowns print open
    "zhiyuan-figures.js": "zy-zoom",  # images that zoom (zhiyuan.pages.figures)
    "zhiyuan-tab-stops.js": "highlight pst-scrollable-table-container",  # zhiyuan.theme.tab_stops
    "zhiyuan-previews.js": "zy-preview",  # links that show a preview (zhiyuan.pages.previews)
}

html_theme_options = {
    "logo": {"text": "知源"},
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "toc_title": "本页目录",
    "use_download_button": False,
    "use_fullscreen_button": False,
    "search_bar_text": "搜索文章…",
    "navigation_with_keys": False,
    # No top bar: the article's own bar has the buttons, the left sidebar the search field.
    # pydata wires the first `.primary-toggle` / `.secondary-toggle` of the page to the phone
    # drawers; with the top bar's buttons first, the article bar's opened nothing.
    "navbar_start": [],
    "navbar_center": [],
    "navbar_end": [],
    "navbar_persistent": [],
}

_BLOG_SIDEBARS = [
    "navbar-logo.html",
    "search-button-field.html",
    "sbt-sidebar-nav.html",
    "ablog/recentposts.html",
    "ablog/categories.html",
    "ablog/tagcloud.html",
    "ablog/archives.html",
]
# Post pages list no other posts (no recent posts, counts or tag cloud), so a
# new post rewrites its neighbours and the blog pages, not every page.  Nor do they
# repeat the post's date, author, category and tags: the line under the title has them.
html_sidebars = {
    "posts/**": [*_BLOG_SIDEBARS[:3], "portal/browse.html"],
    "blog": _BLOG_SIDEBARS,
    "blog/**": _BLOG_SIDEBARS,
}

# -- Sitemap, robots.txt, social meta, 404 page -----------------------------

# sphinx-sitemap: html_baseurl already holds language and version
sitemap_url_scheme = "{link}"
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html", "404.html", "blog/drafts.html"]
# sphinxext-opengraph (loaded by _ext/zhiyuan/web/social_meta.py, which adds what it lacks)
ogp_site_url = SITE_URL
ogp_site_name = "知源"
ogp_type = "article"
# its Matplotlib cards stay off: each post is shared with its cover or with our card (drawn at
# build time in Noto Sans CJK, see _ext/zhiyuan/web/share_cards/)
ogp_social_cards = {"enable": False}
# sphinx-notfound-page: absolute links, so the page works at any depth
notfound_urls_prefix = urlsplit(SITE_URL).path
notfound_context = {
    "title": "页面未找到",
    "body": (
        "<h1>页面未找到（404）</h1>\n"
        "<p>抱歉，您要找的页面不存在，可能已被移动或删除。</p>\n"
        "<ul class=\"notfound-links\">\n"
        f'<li><a href="{notfound_urls_prefix}index.html">返回首页</a></li>\n'
        f'<li><a href="{notfound_urls_prefix}blog.html">浏览全部文章</a></li>\n'
        f'<li><a href="{notfound_urls_prefix}archive.html">按时间归档</a></li>\n'
        "</ul>\n"
        f'<form class="notfound-search" action="{notfound_urls_prefix}search.html" method="get">'
        '<input type="search" name="q" aria-label="搜索文章" placeholder="搜索文章…" /> '
        '<button type="submit">搜索</button></form>'
    ),
}

# -- Post extras and feeds (_ext/zhiyuan/pages/post_extras, pages/feeds.py) --

post_extras_related_count = 5
post_extras_series_titles = {"rl-foundations": "强化学习：从基本概念到 TRPO"}
feeds_extra_length = 50

# -- Search ------------------------------------------------------------------

# The site's own index and search page (_ext/zhiyuan/search): nothing to set.  The
# glossary's entries are its synonyms: give an entry every name readers use for it.

# -- Math (sphinxcontrib-katex, prerendered by zhiyuan/formulas/katex_ssr) --

katex_prerender = True
# KaTeX's CSS and fonts, from the npm package pinned in package.json (`npm ci`)
katex_ssr_assets = "../node_modules/katex/dist"
icons_package = "../node_modules/@fortawesome/fontawesome-free"  # the theme's icons, as inline SVG
# Defined once, usable in every formula of every post
katex_ssr_macros = {
    r"\R": r"\mathbb{R}",
    r"\E": r"\mathbb{E}",
    r"\KL": r"D_{\mathrm{KL}}",
    r"\argmax": r"\operatorname*{arg\,max}",
    r"\argmin": r"\operatorname*{arg\,min}",
}

# -- Diagrams and plots (_ext/zhiyuan/pages/diagrams, pages/plots.py) --------

# Mermaid: mermaid-cli from the npm package pinned in package.json, in Debian's Chromium
diagrams_mermaid_cli = "../node_modules/@mermaid-js/mermaid-cli"
# ... and the SVGs of Mermaid diagrams and {plot}s kept in docs/_diagrams/ (commit them with the post):
# Read the Docs draws no Mermaid, and a build without _build/ runs no unchanged plot's code
diagrams_committed = "_diagrams"
# Graphviz (Debian graphviz): Chinese labels in Noto Sans CJK, a transparent background
graphviz_output_format = "svg"
graphviz_dot_args = [
    "-Gfontname=Noto Sans CJK SC", "-Nfontname=Noto Sans CJK SC", "-Efontname=Noto Sans CJK SC",
    "-Gbgcolor=transparent",
]

# -- Code copying ------------------------------------------------------------

copybutton_prompt_text = r">>> |\.\.\. |\$ |In \[\d*\]: | {2,5}\.\.\.: "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos"

# -- External links (nox -s linkcheck) ----------------------------------------

linkcheck_retries = 3
linkcheck_timeout = 30
linkcheck_rate_limit_timeout = 120.0
linkcheck_report_timeouts_as_broken = False
# The site's own address is checked by tests/site/test_links.py on the built output.
linkcheck_ignore = [re.escape(SITE_URL) + ".*"]
# GitHub renders its anchors with JavaScript; a missing #L12 there is not a broken link.
linkcheck_anchors_ignore_for_url = [r"https://github\.com/.*"]
