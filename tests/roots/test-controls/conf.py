extensions = ["myst_parser", "zhiyuan.theme.portal", "zhiyuan.theme.controls", "zhiyuan.theme.page_assets"]
language = "zh_CN"
project = "控件测试"
html_theme = "sphinx_book_theme"
# Bootstrap's script: its work is zhiyuan.theme.controls'
page_assets_left_out = ["bootstrap.js"]
