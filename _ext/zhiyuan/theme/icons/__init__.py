"""The theme's icons as inline SVG, from Font Awesome's npm package: no icon font, no icon script.

pydata-sphinx-theme draws its icons (search, menu, colour mode, contents, back to top,
previous and next) with Font Awesome: its markup is an empty element whose classes name a
style and an icon (``<i class="fa-solid fa-bars"></i>``), drawn by the SVG-with-JavaScript
build, ``fontawesome.js`` (more than the rest of a page together), or by the web font, which
every page's first layout requests; its sheet draws more icons in that font with ``::before``
and ``::after`` (admonitions, GitHub links, external links in the navigation).

This part makes every page draw them without either, from the ``@fortawesome/fontawesome-free``
package (``package.json``; ``icons_package``), the theme's version:

* each page's HTML, once rendered (:func:`zhiyuan.compat.sphinx.wrap_template_render`: the
  themes', ablog's and our templates and the Python that writes navigation all use Font
  Awesome's markup), has each icon element replaced by the icon's ``<svg>``
  (:func:`.svg.inline_icons`), with its classes (the themes' rules that place an icon name
  them) and ``zy-icon``, which ``zhiyuan-icons.css`` sizes as the font was: 1em high, 1.25em
  wide, 0.125em below the baseline (Font Awesome's own sizes for inline SVG).  The first icon
  of a page carries the package's licence notice (icons CC BY 4.0) as a comment;
* the joined sheet (:func:`zhiyuan.theme.page_assets.rewrite_sheet`) leaves Font Awesome's
  rules and fonts out, and its icons drawn as text become masks of the icons' SVG files
  (:func:`.sheet.without_font_awesome`), which this part writes to ``_static/icons/``: exactly
  those the sheet names, each with its licence notice;
* ``portal_theme``'s layout leaves the theme's Font Awesome script out (the ``icons``
  template variable).

An icon element naming no icon of the package is the warning ``icons.unknown`` and is left as
it is (it then draws nothing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan.compat import pydata_sphinx_theme
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.config import declare, serve_static
from zhiyuan.theme.icons.sheet import without_font_awesome
from zhiyuan.theme.icons.svg import IconSet, inline_icons

if TYPE_CHECKING:
    from collections.abc import Callable

    from docutils import nodes
    from sphinx.application import Sphinx

__version__ = "2.0"

logger = logging.getLogger(__name__)

#: Where the icons the joined sheet draws as masks go, under ``_static/``.
FOLDER = "icons"
_STATIC = str(Path(__file__).resolve().parent / "static")
_SHEET_ICON = re.compile(FOLDER + r"/([a-z]+)-([a-z0-9-]+)\.svg")
# the parts of the package read (an icon's SVG is svgs/<style>/<name>.svg)
_FILES = ("package.json", "css/all.css", "svgs/solid/bars.svg")


def _icon_file(icons: IconSet) -> Callable[[int, tuple[str, ...]], tuple[str, float] | None]:
    """The sheet's icon files: a codepoint of the font → ``icons/<style>-<name>.svg`` and its width."""

    def icon_file(codepoint: int, styles: tuple[str, ...]) -> tuple[str, float] | None:
        icon = icons.by_codepoint(codepoint, styles)
        return None if icon is None else (f"{FOLDER}/{icon.style}-{icon.name}.svg", icon.width)

    return icon_file


def _write_sheet_icons(app: Sphinx, icons: IconSet) -> None:
    """Make ``_static/icons/`` hold exactly the SVG files of the icons the joined sheet names."""
    from zhiyuan.theme.page_assets import BUNDLE

    static = Path(app.outdir, "_static")
    sheet = static / BUNDLE
    named = set(_SHEET_ICON.findall(sheet.read_text(encoding="utf-8"))) if sheet.is_file() else set()
    folder = static / FOLDER
    wanted = {}
    for style, name in sorted(named):
        icon = icons.icon(name, style)
        if icon is not None:
            first = f"<!--{icons.notice} -->" if icons.notice else ""
            svg = icon.svg(' xmlns="http://www.w3.org/2000/svg"', first)
            wanted[f"{style}-{name}.svg"] = svg.encode("utf-8")
    for name, data in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in wanted and path.is_file():
                path.unlink()


def _inline(icons: IconSet) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """A wrapper of the template bridge's ``render``: the page's icons inline, an unknown one a
    warning (once per classes and process)."""
    warned: set[str] = set()

    def wrap(render: Callable[..., str]) -> Callable[..., str]:
        def render_with_icons(template: str, context: dict[str, Any]) -> str:
            unknown: set[str] = set()
            page = inline_icons(render(template, context), icons, unknown)
            for classes in sorted(unknown - warned):
                warned.add(classes)
                logger.warning("Font Awesome has no icon for the element of classes %r (it draws nothing)",
                               classes, type="icons", subtype="unknown", location=context.get("pagename"))
            return page

        return render_with_icons

    return wrap


def _on_builder_inited(app: Sphinx) -> None:
    """Check the package; have every page's icons inline, and the joined sheet without Font
    Awesome's rules and fonts."""
    app.builder._icons = False
    if app.builder.format != "html":
        return
    package = Path(app.confdir, app.config.icons_package)  # relative to conf.py
    missing = [name for name in _FILES if not (package / name).is_file()]
    if missing:
        logger.warning(
            "Font Awesome's icons not found in %s (%s); run `npm ci`. "
            "The theme's icons fall back to its script",
            package,
            ", ".join(missing),
            type="icons",
            subtype="assets",
        )
        return
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    theme_version = pydata_sphinx_theme.fontawesome_version(app) if pydata_sphinx_theme.active(app) else None
    if theme_version and version != theme_version:
        logger.warning(
            "Font Awesome's icons are version %s but the theme's are %s; "
            "pin @fortawesome/fontawesome-free %s in package.json",
            version,
            theme_version,
            theme_version,
            type="icons",
            subtype="version",
        )
    if not sphinx_compat.active(app):
        return
    icons = IconSet(package)
    if not sphinx_compat.wrap_template_render(app.builder, _inline(icons)):
        return
    app.add_css_file("zhiyuan-icons.css")
    if "zhiyuan.theme.page_assets" in app.extensions:
        from zhiyuan.theme import page_assets

        page_assets.rewrite_sheet(app, f"icons {version}", lambda css: without_font_awesome(css, _icon_file(icons)))
        # page_assets' builder-inited (500) wrapped the copy first: the sheet is made before this runs
        sphinx_compat.after_copying_assets(app.builder, lambda: _write_sheet_icons(app, icons))
    app.builder._icons = True


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Tell the layout to leave out the theme's Font Awesome script."""
    if getattr(app.builder, "_icons", False):
        context["icons"] = True


def setup(app: Sphinx) -> dict[str, Any]:
    declare(app, "zhiyuan.theme.icons")
    serve_static(app, _STATIC)  # our sheet
    # after page_assets' (500), so that the sheet is made before its icons are written
    app.connect("builder-inited", _on_builder_inited, priority=600)
    app.connect("html-page-context", _on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
