"""The theme's colour-mode menu, back-to-top button and tooltips, without Bootstrap's script.

pydata-sphinx-theme loads all of Bootstrap's JavaScript (``_static/scripts/bootstrap.js``,
with Popper) on every page, the largest script of each.  On this site it does four things:
it opens the colour-mode menu (a Bootstrap dropdown; pydata's own script changes the mode
when an item is chosen), shows the back-to-top button while the reader scrolls up, turns
the ``title`` of the buttons marked ``data-bs-toggle="tooltip"`` into Bootstrap tooltips,
and defines ``window.bootstrap``, which pydata's script uses for nothing our pages hold
(:data:`zhiyuan.compat.pydata_sphinx_theme.NEEDS_BOOTSTRAP`: the primary sidebar's
collapse button, which no page has).

This part serves ``zhiyuan-controls.js`` (deferred, on every page) instead: the menu with
Bootstrap's keyboard and ARIA behaviour (the button's ``aria-expanded``, ``.show`` on the
menu, arrows between its items, Escape back to the button, closed by a click outside or the
focus leaving it), placed where Bootstrap placed it (``zhiyuan-controls.css``, in the joined
sheet); the back-to-top button; and tooltips as the browser shows a ``title``.  The site
leaves ``bootstrap.js`` out (``page_assets_left_out`` in ``docs/conf.py``, which
:mod:`zhiyuan.theme.page_assets` applies to the scripts pydata's layout writes itself), and
the joined sheet with it the rules of the theme's sheet that only Bootstrap's script named:
its components no page shows.  (Every word of our code counts for that sheet, this
docstring's too, so it names none of them.)  Where a page still loads Bootstrap
(``page_assets_left_out`` without it, or another version of the theme), the script stands
aside and Bootstrap does the work.
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
    app.add_js_file("zhiyuan-controls.js")
    app.add_css_file("zhiyuan-controls.css")
    serve_static(app, _STATIC)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
