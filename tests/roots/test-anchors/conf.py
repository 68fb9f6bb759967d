extensions = ["myst_parser", "zhiyuan.web.readable_anchors"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
myst_heading_anchors = 3
exclude_patterns = ["_build"]
