extensions = ["myst_parser", "zhiyuan.theme.portal"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
fontawesome_included = True
exclude_patterns = ["_build"]
