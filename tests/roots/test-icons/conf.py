# The theme's icons as inline SVG: pages, the joined sheet and its mask icons.
import os

extensions = ["myst_parser", "zhiyuan.theme.portal", "zhiyuan.theme.icons", "zhiyuan.theme.strict_csp",
              "zhiyuan.theme.page_assets"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "图标测试"
html_theme = "sphinx_book_theme"
# the repository's npm install (tests run from a copy of this folder)
icons_package = os.environ["PORTAL_ICONS"]
page_assets_left_out = ["bootstrap.js", "fontawesome.js"]
