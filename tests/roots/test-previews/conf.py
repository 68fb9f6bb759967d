import os

extensions = [
    "myst_parser",
    "zhiyuan.formulas.katex_ssr",
    "zhiyuan.pages.figures",
    "zhiyuan.pages.previews",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
language = "zh_CN"
project = "预览测试"
html_theme = "basic"
numfig = True
katex_prerender = True
# the repository's npm install (tests run from a copy of this folder)
katex_ssr_assets = os.environ["PORTAL_KATEX_ASSETS"]
exclude_patterns = ["_build"]
