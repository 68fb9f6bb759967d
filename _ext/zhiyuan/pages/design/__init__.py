"""Tabs, dropdowns, cards and grids in posts: sphinx-design, styled to the site.

Authors write them as MyST colon fences (``::::{tab-set}`` with ``:::{tab-item}``,
``:::{dropdown}``, ``::::{grid}`` with ``:::{grid-item-card}``; the writing guide,
``docs/guide.md``, shows each).  sphinx-design writes them as plain HTML: a tab set is
radio inputs and labels (CSS alone switches panels; its ``design-tabs.js`` only keeps
tabs of one ``:sync:`` group in step), a dropdown is a ``<details>`` element whose
content is in the page — found by the site's search, read without JavaScript, and
printed open (``zhiyuan-design.js`` opens closed ones while the page prints).  pydata-sphinx-theme already gives sphinx-design's colour variables
(``--sd-color-*``) light and dark values; our sheet fits the components to the
site's borders, spacing and type.  Nothing here reads another package's internals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhiyuan.config import serve_static

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_STATIC = str(Path(__file__).resolve().parent / "static")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_design")
    # after sphinx-design's own sheet (added at builder-inited, priority 500), which it adjusts
    app.add_css_file("zhiyuan-design.css", priority=600)
    app.add_js_file("zhiyuan-design.js")
    serve_static(app, _STATIC)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
