from pathlib import Path

extensions = ["zhiyuan.search"]
language = "zh_CN"
html_search_language = "zh"
html_search_options = {"dict": str(Path(__file__).parent / "userdict.txt")}
