extensions = ["myst_parser", "zhiyuan.pages.plots"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "绘图测试"
html_theme = "basic"
numfig = True
numfig_format = {"figure": "图 %s"}
exclude_patterns = ["_build"]




