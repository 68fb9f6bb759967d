# The portal's theme stack with strict_csp: no page may keep an inline script.
extensions = ["myst_parser", "ablog", "zhiyuan.theme.portal", "zhiyuan.theme.strict_csp", "zhiyuan.search"]
language = "zh_CN"
project = "CSP 测试"
html_theme = "sphinx_book_theme"
fontawesome_included = True
