"""Pages that work under a strict Content-Security-Policy: no inline script, no eval.

The site is meant to be served with :data:`POLICY`.  Out of the box the theme
stack needs ``'unsafe-inline'`` for scripts and styles and ``'unsafe-eval'``;
this extension removes every one of those needs except inline ``style``
*attributes*, which KaTeX's build-time HTML is made of:

* pydata-sphinx-theme adds ``DOCUMENTATION_OPTIONS.<key> = <value>;`` inline
  scripts to every page (``pagename``, ``search_as_you_type``).  Their values go
  into the ``data-options`` attribute of one static script, ``page.js``, which
  sets them; any *other* inline script a page would get through
  ``add_js_file(body=...)`` is a build warning (so ``-W`` fails the build).
* ``page.js`` also replaces Sphinx's ``Documentation.addTranslations``, which
  compiles the catalog's plural expression with ``new Function``, with one that
  evaluates it without eval.
* the theme's inline colour-mode script and its ``<noscript><style>`` are files
  (``head.js``, ``noscript.css``); ``portal_theme``'s layout uses them when the
  ``strict_csp`` template variable is set.  (The search page is ours, without inline
  script: :mod:`zhiyuan.search`.)  Being the one script of the head, ``head.js`` also
  starts the scripts :mod:`zhiyuan.theme.page_assets` holds until the page's first paint.
* Font Awesome's script inserts its stylesheet as a ``<style>`` element (unless
  ``zhiyuan.theme.icons`` draws the icons as inline SVG, as on our site); its CSS
  is extracted from the theme's ``fontawesome.js`` at build time and served as
  ``_static/strict_csp/fontawesome.css``, and ``head.js``'s element carries
  ``data-auto-add-css="false"`` so Font Awesome does not insert it again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.compat import pydata_sphinx_theme
from zhiyuan.config import serve_static
from zhiyuan.theme.theme_files import theme_file

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: The Content-Security-Policy the site works under (README, *Content-Security-Policy*).
POLICY = (
    "default-src 'self'; "
    "style-src-attr 'unsafe-inline'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)

_HERE = Path(__file__).resolve().parent
_STATIC = _HERE / "static"
_STAGING = "strict_csp_static"  # under the doctree directory: generated static files
FONTAWESOME_CSS = "strict_csp/fontawesome.css"
PAGE_SCRIPT = "strict_csp/page.js"
# after documentation_options.js and doctools.js (200), before translations.js (500)
PAGE_SCRIPT_PRIORITY = 300

def _on_builder_inited(app: Sphinx) -> None:
    """Write Font Awesome's stylesheet as a file, when the theme uses Font Awesome."""
    app.builder._strict_csp_fontawesome_css = False
    app.builder._strict_csp_warned = set()
    app.builder._strict_csp_pydata = pydata_sphinx_theme.active(app)
    if not app.builder._strict_csp_pydata:
        return
    if app.builder.format != "html" or "zhiyuan.theme.icons" in app.extensions:
        return  # the icons are inline SVG: no script to feed
    script = theme_file(app, "static/scripts/fontawesome.js")
    if script is None:
        return
    css = pydata_sphinx_theme.fontawesome_css(script.read_text(encoding="utf-8"))
    if css is None:
        logger.warning(
            "no stylesheet found in %s; Font Awesome will insert it as an inline <style>, "
            "which the Content-Security-Policy blocks",
            script,
            type="strict_csp",
            subtype="fontawesome",
        )
        return
    staging = caches.path(app.doctreedir, _STAGING)
    target = staging / FONTAWESOME_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")
    # added after the configuration was hashed: the doctree folder is no part of
    # the site, and two builds into different folders must stay identical
    app.config.html_static_path = [*app.config.html_static_path, str(staging)]
    app.add_css_file(FONTAWESOME_CSS)
    app.builder._strict_csp_fontawesome_css = True


def _on_html_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Replace the page's inline scripts by ``page.js``; warn about any left."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    options: dict[str, Any] = {}
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        body = attributes.get("body")
        if getattr(script, "filename", None) or not body:
            kept.append(script)
            continue
        option = pydata_sphinx_theme.documentation_option(body) if app.builder._strict_csp_pydata else None
        if option is not None:
            options[option[0]] = option[1]
            continue
        kept.append(script)
        if body not in app.builder._strict_csp_warned:
            app.builder._strict_csp_warned.add(body)
            logger.warning(
                "page %r has an inline script the Content-Security-Policy blocks "
                "(serve it as a file): %s",
                pagename,
                " ".join(body.split())[:80],
                type="strict_csp",
                subtype="inline_script",
            )
    # the list is the builder's (reset for every page): change it in place
    scripts[:] = kept
    app.builder.add_js_file(
        PAGE_SCRIPT,
        priority=PAGE_SCRIPT_PRIORITY,
        **{"data-options": json.dumps(options, ensure_ascii=False, sort_keys=True)},
    )
    context["strict_csp"] = {"fontawesome_css": app.builder._strict_csp_fontawesome_css}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    serve_static(app, _STATIC)
    app.connect("builder-inited", _on_builder_inited)
    # after pydata-sphinx-theme (500) has added its inline scripts
    app.connect("html-page-context", _on_html_page_context, priority=900)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
