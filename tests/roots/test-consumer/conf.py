# Another Sphinx project linking into the portal; the test sets intersphinx_mapping.
extensions = ["myst_parser", "sphinx.ext.intersphinx"]
language = "zh_CN"
