"""Code blocks and tables that scroll sideways are tab stops, decided near the viewport.

A region that scrolls must be reachable with the keyboard, so pydata-sphinx-theme's script
makes every ``pre`` and scrollable table a tab stop if it scrolls and not otherwise.  It
decides at the load event, for the whole page at once: measuring lays out every such
element, also those in sections not yet laid out (``content-visibility: auto``), one long
task on a phone on a long post; and it measures again whenever the page's content changes
(the copy button adds its buttons).  This part leaves that scan out of the theme's script
(:func:`zhiyuan.compat.pydata_sphinx_theme.without_tab_stop_scan`, once the static files
are copied) and serves ``zhiyuan-tab-stops.js``, which makes each element a tab stop until
it comes within a screen of the viewport and then decides it.  Pages load the script only
when they have code or a table (``page_assets_scripts_for`` in ``docs/conf.py``).

If the theme's script is not the one the patch knows, it stays as it is and so does its
scan; our script then decides the same thing a second time, lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhiyuan.compat import pydata_sphinx_theme
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.config import serve_static

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_STATIC = str(Path(__file__).resolve().parent / "static")


def _leave_out_theme_scan(app: Sphinx) -> None:
    """Rewrite the theme's script just copied into the output folder without its scan."""
    path = Path(app.outdir, pydata_sphinx_theme.THEME_SCRIPT)
    if not path.is_file():
        return
    script = path.read_text(encoding="utf-8")
    patched = pydata_sphinx_theme.without_tab_stop_scan(script)
    if patched is not None:
        path.write_text(patched, encoding="utf-8")


def _on_builder_inited(app: Sphinx) -> None:
    """Patch the theme's script each time the builder copies the static files."""
    if app.builder.format == "html" and pydata_sphinx_theme.active(app):
        sphinx_compat.after_copying_assets(app.builder, lambda: _leave_out_theme_scan(app))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_js_file("zhiyuan-tab-stops.js")
    serve_static(app, _STATIC)
    app.connect("builder-inited", _on_builder_inited)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
