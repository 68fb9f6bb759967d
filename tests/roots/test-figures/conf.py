extensions = ["myst_parser", "zhiyuan.pages.figures"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "图片测试"
html_theme = "basic"
numfig = True
numfig_format = {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s", "section": "第 %s 节"}
exclude_patterns = ["_build"]
