"""sphinxcontrib-katex: every use of its internals, written for sphinxcontrib-katex 0.9.

``formulas/katex_ssr`` renders formulas at build time itself — sphinxcontrib-katex's own
prerendering ignores ``katex_options`` (hagenw/sphinxcontrib-katex#65, #145), starts a
KaTeX server per writing process and leaves rejected formulas as red text — with the
``katex.min.js`` this package bundles (so build time and browser agree on the KaTeX
version, its module constant ``katex_version``), and numbers equations with its helper.
It also sets this package's configuration at a distance.  Outside the versions of
:data:`PATCH`, sphinxcontrib-katex renders the formulas as it does by itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinxcontrib.katex as sphinx_katex

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = ["KATEX_JS", "PATCH", "active", "equation_number", "katex_version", "render_in_browser", "use_css"]

PATCH = Patch(
    "sphinxcontrib-katex", ">=0.9.11,<0.10",
    "formulas are rendered by sphinxcontrib-katex alone: its configured macros are ignored "
    "when prerendering, and rejected formulas are not reported",
)

#: The KaTeX script bundled in the package, which its browser rendering loads.
KATEX_JS = Path(sphinx_katex.__file__).resolve().parent / "katex.min.js"


def active(app: Sphinx) -> bool:
    """Whether the installed sphinxcontrib-katex is one these functions were written for."""
    return applies(app, PATCH)


def katex_version() -> str:
    """The version of KaTeX the package bundles."""
    return sphinx_katex.katex_version


def equation_number(translator: Any, node: nodes.math_block) -> str:
    """The number the package's HTML writer gives a numbered display formula."""
    return sphinx_katex.get_node_equation_number(translator, node)


def render_in_browser(config: Config, macros: dict[str, str]) -> None:
    """Configure the package to render in the browser, with *macros*."""
    config.katex_prerender = False
    config.html_math_renderer = "katex"
    config.katex_options = "macros: " + json.dumps(macros)


def use_css(config: Config, path: str) -> None:
    """Have the package link KaTeX's stylesheet from *path* (under ``_static/``)."""
    config.katex_css_path = path
