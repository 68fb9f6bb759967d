import os

extensions = [
    "myst_parser",
    "ablog",
    "sphinx_copybutton",
    "zhiyuan.formulas.katex_ssr",
    "zhiyuan.theme.icons",
    "zhiyuan.theme.portal",
    "zhiyuan.theme.strict_csp",
    "zhiyuan.theme.page_assets",
]
myst_enable_extensions = ["dollarmath", "colon_fence"]
language = "zh_CN"
project = "资源测试"
html_theme = "sphinx_book_theme"
katex_prerender = True
# the repository's npm install (tests run from a copy of this folder)
katex_ssr_assets = os.environ["PORTAL_KATEX_ASSETS"]
icons_package = os.environ["PORTAL_ICONS"]
page_assets_left_out = ["sphinx_highlight.js"]
