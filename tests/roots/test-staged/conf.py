extensions = ["myst_parser"]
language = "zh_CN"
html_theme = "basic"
