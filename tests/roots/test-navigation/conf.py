extensions = ["myst_parser", "portal_theme"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
fontawesome_included = True
exclude_patterns = ["_build"]
