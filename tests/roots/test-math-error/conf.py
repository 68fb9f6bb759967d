import os

extensions = ["myst_parser", "zhiyuan.formulas.katex_ssr"]
myst_enable_extensions = ["dollarmath", "amsmath"]
katex_prerender = True
katex_ssr_macros = {r"\RR": r"\mathbb{R}", r"\norm": r"\left\lVert #1 \right\rVert"}
# the repository's npm install (tests run from a copy of this folder)
katex_ssr_assets = os.environ["PORTAL_KATEX_ASSETS"]
