"""Sphinx configuration of the portal.

The source directory is ``docs/``; ``docs/posts`` is a symbolic link to the
repository's ``posts/`` folder, so articles live beside ``docs/`` while Sphinx
(and Read the Docs, which builds ``docs/conf.py`` as it is) reads both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    # ours, in _ext/
    "katex_ssr",
    "post_frontmatter",
    "portal_theme",
    "ablog_incremental",
    "latest_updates",
    "zh_search",
]

root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "**/README.md"]
templates_path = ["_templates"]
suppress_warnings = []

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"]
myst_heading_anchors = 3

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
# ablog and the pydata theme each set this when it is unset; a value that
# changes between runs makes Sphinx re-read every page.
fontawesome_included = True

# -- LATEST UPDATES index (_ext/latest_updates) ------------------------------

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
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False

html_theme_options = {
    "logo": {"text": "知源"},
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "toc_title": "本页目录",
    "use_download_button": False,
    "use_fullscreen_button": False,
    "search_bar_text": "搜索文章…",
    "navigation_with_keys": False,
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
html_sidebars = {
    "posts/**": [*_BLOG_SIDEBARS[:3], "ablog/postcard.html", *_BLOG_SIDEBARS[3:]],
    "blog": _BLOG_SIDEBARS,
    "blog/**": _BLOG_SIDEBARS,
}

# -- Search ------------------------------------------------------------------

html_search_language = "zh"
# Our small domain dictionary instead of Sphinx's default, which re-loads jieba's
# whole main dictionary as a "user" dictionary on every build.
html_search_options = {"dict": str(DOCS_DIR / "_search" / "userdict.txt")}
html_search_scorer = str(DOCS_DIR / "_search" / "scorer.js")

# -- Math (sphinxcontrib-katex, prerendered by _ext/katex_ssr) ---------------

katex_prerender = True
# KaTeX's CSS and fonts, from the npm package pinned in package.json (`npm ci`)
katex_ssr_assets = "../node_modules/katex/dist"
# Defined once, usable in every formula of every post
katex_ssr_macros = {
    r"\R": r"\mathbb{R}",
    r"\E": r"\mathbb{E}",
    r"\KL": r"D_{\mathrm{KL}}",
    r"\argmax": r"\operatorname*{arg\,max}",
    r"\argmin": r"\operatorname*{arg\,min}",
}

# -- Code copying ------------------------------------------------------------

copybutton_prompt_text = r">>> |\.\.\. |\$ |In \[\d*\]: | {2,5}\.\.\.: "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos"
