"""pydata-sphinx-theme and sphinx-book-theme: every use of their internals.

sphinx-book-theme 1.4 pins pydata-sphinx-theme 0.20 exactly, so the two move together.
The site wraps two of their ``html-page-context`` handlers (a faster page TOC, no page
description nobody shows), reads the inline ``DOCUMENTATION_OPTIONS`` scripts pydata adds
(the Content-Security-Policy forbids inline scripts), reads Font Awesome's stylesheet and
version out of the files pydata bundles, reads which sheets and scripts its layout links itself
(from its webpack macro file), and deletes the Jinja macro files both themes
ship as static files.  Our copies of their templates (``theme/portal/templates_book_theme``,
``theme/strict_csp/templates/search.html``) and ``theme/controls``' script (Bootstrap's
dropdown on pydata's markup, :data:`NEEDS_BOOTSTRAP`) are bets on the same versions.

The parts use these functions only while :func:`active` says the installed themes are
those they were written for; otherwise the themes' own handlers stay, and the inline
scripts are reported as the Content-Security-Policy's problem (``strict_csp.inline_script``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sphinx_book_theme
from pydata_sphinx_theme import pygments as pydata_pygments
from pydata_sphinx_theme import toctree as pydata_toctree

from zhiyuan.compat import Patch, applies
from zhiyuan.compat.sphinx import wrap_listener
from zhiyuan.theme.theme_files import theme_file

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "BOOK_THEME_PATCH", "MACRO_FILES", "NEEDS_BOOTSTRAP", "PATCH", "THEME_SCRIPT", "active", "body_scripts", "documentation_option",
    "fontawesome_css", "fontawesome_version", "head_stylesheets", "without_tab_stop_scan", "wrap_page_handlers", "write_pygments_css",
]

PATCH = Patch(
    "pydata-sphinx-theme", ">=0.20.0,<0.21",
    "the page TOC is parsed with BeautifulSoup on every page, its inline scripts and our copies "
    "of its templates are not checked against it",
)
BOOK_THEME_PATCH = Patch(
    "sphinx-book-theme", ">=1.4.0,<1.5",
    "every page computes a description from its whole text, our copies of its templates are not "
    "checked against it",
)

# Jinja macro files both themes keep in their static folders, which Sphinx copies verbatim.
MACRO_FILES = ("_static/webpack-macros.html", "_static/sbt-webpack-macros.html")


def active(app: Sphinx) -> bool:
    """Whether the installed themes are those these functions were written for (warns once if not)."""
    pydata, book = applies(app, PATCH), applies(app, BOOK_THEME_PATCH)
    return pydata and book


Wrap = Callable[[Callable[..., None]], Callable[..., None]]


def wrap_page_handlers(app: Sphinx, *, toctree_functions: Wrap, metadata: Wrap) -> None:
    """Wrap pydata's ``add_toctree_functions`` and sphinx-book-theme's ``add_metadata_to_page``
    in place (call at ``builder-inited``: the themes connect them when the builder loads them)."""
    wrap_listener(app, "html-page-context", pydata_toctree.add_toctree_functions, toctree_functions)
    wrap_listener(app, "html-page-context", sphinx_book_theme.add_metadata_to_page, metadata)


# pydata's per-page inline scripts (``update_and_remove_templates``): DOCUMENTATION_OPTIONS.<key> = <literal>;
_OPTION = re.compile(r"DOCUMENTATION_OPTIONS\.(?P<key>\w+) = (?P<value>'[^'\\]*'|true|false|-?\d+);")


def _literal(value: str) -> str | bool | int:
    """The value of a literal matched by ``_OPTION``."""
    if value.startswith("'"):
        return value[1:-1]
    if value in ("true", "false"):
        return value == "true"
    return int(value)


def documentation_option(body: str) -> tuple[str, Any] | None:
    """``(key, value)`` of one of pydata's inline ``DOCUMENTATION_OPTIONS`` scripts, else None."""
    match = _OPTION.fullmatch(body.strip())
    return (match["key"], _literal(match["value"])) if match else None


# the start of the stylesheet string literal in Font Awesome's fontawesome.js
_FA_CSS_START = re.compile(r"""(["'])(?=:root, :host \{\\n  --fa-)""")
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape_js(literal: str) -> str:
    """The value of a JavaScript string literal's body."""

    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] == "u":
            return chr(int(escape[1:].strip("{}"), 16))
        if escape[0] == "x":
            return chr(int(escape[1:], 16))
        if escape == "\n":  # line continuation
            return ""
        return _JS_SIMPLE_ESCAPES.get(escape, escape)

    return _JS_ESCAPE.sub(replace, literal)


def fontawesome_css(script: str) -> str | None:
    """The stylesheet the Font Awesome *script* pydata bundles would insert (``FontAwesome.dom.css()``).

    ``None`` when it cannot be found.  With the default ``cssPrefix`` and
    ``replacementClass`` Font Awesome inserts the string literal unchanged.
    """
    start = _FA_CSS_START.search(script)
    if start is None:
        return None
    quote, position = start.group(1), start.end()
    end = position
    while end < len(script) and script[end] != quote:
        end += 2 if script[end] == "\\" else 1
    if end >= len(script):
        return None
    css = _unescape_js(script[position:end])
    return css if ".svg-inline--fa" in css else None


_THEME_LICENSE = "static/scripts/fontawesome.js.LICENSE.txt"
_THEME_VERSION = re.compile(r"Font Awesome Free (\d+\.\d+\.\d+)")


def fontawesome_version(app: Sphinx) -> str | None:
    """The Font Awesome version bundled in the HTML theme (from its script's licence header)."""
    licence = theme_file(app, _THEME_LICENSE)
    if licence is None:
        return None
    match = _THEME_VERSION.search(licence.read_text(encoding="utf-8"))
    return match.group(1) if match else None


_MACROS = "static/webpack-macros.html"
_HEAD_PRE_ASSETS = re.compile(r"{% macro head_pre_assets\(\) %}(.*?){% endmacro %}", re.DOTALL)
_PATHTO_CSS = re.compile(r"pathto\('(_static/[^']+\.css)'")


def head_stylesheets(app: Sphinx) -> list[str]:
    """The style sheets pydata's layout links in every page's head (``head_pre_assets``), in order.

    They are not in Sphinx's list of CSS files: the layout writes their ``<link>`` tags
    itself, from the Jinja macro file its webpack build generates.
    """
    macros = theme_file(app, _MACROS)
    if macros is None:
        return []
    block = _HEAD_PRE_ASSETS.search(macros.read_text(encoding="utf-8"))
    return _PATHTO_CSS.findall(block.group(1)) if block else []


_BODY_POST = re.compile(r"{% macro body_post\(\) %}(.*?){% endmacro %}", re.DOTALL)
_DEFERRED_SCRIPT = re.compile(r"""<script defer src="{{ pathto\('(_static/[^']+\.js)', 1\) }}[^"<>{}]*"></script>""")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def body_scripts(app: Sphinx) -> list[str]:
    """The scripts pydata's layout loads at the end of every page's body (``body_post``: Bootstrap's
    and its own), in order; none unless that macro holds only deferred local scripts and comments.

    Like its head sheets, they are not in Sphinx's list of scripts: the layout writes their
    ``<script defer>`` tags itself (block ``scripts_end``), from its webpack macro file.  A part
    that loads them otherwise has the layout leave that block out.
    """
    macros = theme_file(app, _MACROS)
    if macros is None:
        return []
    block = _BODY_POST.search(macros.read_text(encoding="utf-8"))
    if block is None:
        return []
    scripts = _DEFERRED_SCRIPT.findall(block.group(1))
    rest = _HTML_COMMENT.sub("", _DEFERRED_SCRIPT.sub("", block.group(1)))
    return scripts if rest.strip() == "" else []


#: What on a page makes pydata's script call Bootstrap's (``window.bootstrap``, which
#: ``bootstrap.js`` defines): its collapse button for the primary sidebar (the
#: ``sidebar-collapse.html`` component), whose tooltip ``setupCollapseSidebarButton`` makes
#: with ``new bootstrap.Tooltip``.  That is the script's only use of Bootstrap; on a page
#: without the button, nothing of pydata's needs ``bootstrap.js``.  With the button and
#: without Bootstrap the function fails (pydata catches the error and logs it to the console)
#: and the button does nothing.
NEEDS_BOOTSTRAP = "#pst-collapse-sidebar-button"


def write_pygments_css(app: Sphinx) -> None:
    """Write ``_static/pygments.css`` as pydata writes it at ``build-finished``: light and dark
    styles, each under its ``html[data-theme=…]``.

    Sphinx's own ``pygments.css`` (one style, no theme switch) is what the output folder holds
    until then; a step that reads the file while pages are written needs pydata's.
    """
    pydata_pygments.overwrite_pygments_css(app)


#: pydata's script, under the output folder (its layout links it from every page).
THEME_SCRIPT = "_static/scripts/pydata-sphinx-theme.js"
# The last statement of the minified script: at the load event, the function that makes
# every ``pre`` and scrollable table a tab stop iff it scrolls (``setupTabStops`` is what the
# function is called in pydata's source, ``src/pydata_sphinx_theme/assets/scripts``).
_TAB_STOP_SCAN = re.compile(r'"complete"===document\.readyState\?(\w+)\(\):window\.addEventListener\("load",\1\)')


def without_tab_stop_scan(script: str) -> str | None:
    """pydata's *script* without its load-time tab-stop scan, or None when the scan is not
    found exactly once (another release: leave the script alone).

    At the load event the scan reads ``scrollWidth`` and ``clientWidth`` of every ``pre``
    and scrollable table of the page, which lays out the whole page, sections out of view
    (``content-visibility: auto``) included — a long task of a quarter second on a phone on a
    post with many formulas; and it scans again after every change to the page's content.
    ``theme/tab_stops`` decides each element's tab stop when it comes near the viewport.
    """
    found = list(_TAB_STOP_SCAN.finditer(script))
    if len(found) != 1:
        return None
    return script[: found[0].start()] + "void 0" + script[found[0].end() :]

