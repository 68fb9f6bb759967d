"""The theme's icons from Font Awesome's web font instead of its script.

pydata-sphinx-theme draws its few icons (search, menu, colour mode, contents)
with Font Awesome's SVG-with-JavaScript build, ``fontawesome.js``: more than the
rest of a page together, on every page (PERFORMANCE.md), and it rewrites the DOM
after load.  The same icons, at the same Font Awesome version, come from
the web-font build in the ``@fortawesome/fontawesome-free`` npm package
(``package.json``): one small stylesheet and the solid font, fetched once and
cached.  This extension stages that stylesheet and font for
``_static/fontawesome/`` and adds the stylesheet to every page;
``portal_theme``'s layout leaves the theme's script out when the
``icon_font`` template variable is set.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.compat import pydata_sphinx_theme
from zhiyuan.config import declare

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

__version__ = "1.0"

logger = logging.getLogger(__name__)

_STAGING = "icon_font_static"
# the theme's icons are all "fa-solid"; the stylesheet names the font it needs
_FILES = ("css/fontawesome.min.css", "css/solid.min.css", "webfonts/fa-solid-900.woff2")


def _on_builder_inited(app: Sphinx) -> None:
    """Stage the stylesheets and font for ``_static/fontawesome/`` and add the stylesheets."""
    app.builder._icon_font = False
    if app.builder.format != "html":
        return
    package = Path(app.confdir, app.config.icon_font_package)  # relative to conf.py
    missing = [name for name in _FILES if not (package / name).is_file()]
    if missing:
        logger.warning(
            "Font Awesome's web font not found in %s (%s); run `npm ci`. "
            "The theme's icons fall back to its script",
            package,
            ", ".join(missing),
            type="icon_font",
            subtype="assets",
        )
        return
    version = json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    theme_version = pydata_sphinx_theme.fontawesome_version(app) if pydata_sphinx_theme.active(app) else None
    if theme_version and version != theme_version:
        logger.warning(
            "Font Awesome web font is version %s but the theme's icons are %s; "
            "pin @fortawesome/fontawesome-free %s in package.json",
            version,
            theme_version,
            theme_version,
            type="icon_font",
            subtype="version",
        )
    staging = caches.path(app.doctreedir, _STAGING)
    for name in _FILES:
        target = staging / "fontawesome" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(package / name, target)
    app.config.html_static_path = [*app.config.html_static_path, str(staging)]
    for name in _FILES:
        if name.endswith(".css"):
            app.add_css_file(f"fontawesome/{name}", priority=100)
    app.builder._icon_font = True


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Tell the layout to leave out the theme's Font Awesome script."""
    if getattr(app.builder, "_icon_font", False):
        context["icon_font"] = True


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    declare(app, "zhiyuan.theme.icon_font")
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
