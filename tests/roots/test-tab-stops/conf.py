extensions = ["myst_parser", "zhiyuan.theme.tab_stops", "zhiyuan.theme.page_assets"]
language = "zh_CN"
project = "制表位测试"
html_theme = "sphinx_book_theme"
page_assets_scripts_for = {"zhiyuan-tab-stops.js": "highlight pst-scrollable-table-container"}
