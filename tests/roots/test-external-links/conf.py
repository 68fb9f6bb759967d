# External links get rel="noopener"; the theme's own translator (pydata, via
# sphinx-book-theme) must keep working.  The test writes objects.inv for intersphinx.
extensions = ["myst_parser", "sphinx.ext.intersphinx", "zhiyuan.web.external_links"]
language = "zh_CN"
project = "外链测试"
html_theme = "sphinx_book_theme"
intersphinx_mapping = {"other": ("https://other.example.org/", "objects.inv")}
