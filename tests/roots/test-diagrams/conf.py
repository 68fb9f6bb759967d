extensions = ["myst_parser", "zhiyuan.pages.diagrams"]
myst_enable_extensions = ["colon_fence"]
language = "zh_CN"
project = "图表测试"
html_theme = "basic"
numfig = True
numfig_format = {"figure": "图 %s"}
exclude_patterns = ["_build"]
graphviz_output_format = "svg"
graphviz_dot_args = ["-Nfontname=Noto Sans CJK SC", "-Efontname=Noto Sans CJK SC", "-Gbgcolor=transparent"]
myst_fence_as_directive = ["mermaid"]
