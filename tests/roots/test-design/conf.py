extensions = ["myst_parser", "zhiyuan.pages.design", "zhiyuan.search"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "组件测试"
html_theme = "basic"
