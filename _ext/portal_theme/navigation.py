"""The site navigation of the primary sidebar, rendered once per folder for pages outside it.

pydata-sphinx-theme renders the sidebar's navigation for every page: Sphinx
resolves the site's toctree for the page, renders it, and pydata parses the
HTML with BeautifulSoup to add its collapse toggles — some ten milliseconds a
page, a tenth of a clean build at a thousand posts.  Posts, ablog's archives
and the home index's pages 2…n are in no toctree, so none of their navigation
entries is "current": the navigation of two such pages differs only in its
relative links, that is, only if they lie in different folders.  For those
pages it is rendered once per folder (and per set of arguments) and reused;
pages in the toctree, and pages that link otherwise than Sphinx does (the 404
page's links are absolute), keep pydata's own rendering.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_RENDERED = "_portal_theme_navigation"
_SPHINX_HTML_BUILDER = "sphinx.builders.html"


def _in_navigation(app: Sphinx) -> set[str]:
    """The root document and every document a toctree includes (the same all through writing)."""
    env = app.env
    return {app.config.root_doc, *env.toctree_includes, *(doc for docs in env.toctree_includes.values() for doc in docs)}


def _sphinx_links(context: dict[str, Any]) -> bool:
    """True if the page links as Sphinx does (the 404 page's ``pathto`` and ``toctree`` are notfound's)."""
    return all(
        getattr(context.get(name), "__module__", None) == _SPHINX_HTML_BUILDER for name in ("pathto", "toctree")
    )


def share_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """After pydata's ``add_toctree_functions``: reuse the sidebar navigation of pages outside the toctree."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    state = app.__dict__.setdefault(_RENDERED, {})
    if "in_navigation" not in state:
        state["in_navigation"] = _in_navigation(app)
    if pagename in state["in_navigation"] or not _sphinx_links(context):
        return
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))

    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any) -> Any:
        if kind != "sidebar" or startdepth != 0:
            return generate(kind, startdepth, show_nav_level, **kwargs)
        key = (folder, show_nav_level, tuple(sorted(kwargs.items())))
        if key not in state:
            html = str(generate(kind, startdepth, show_nav_level, **kwargs))
            if not html:  # keep pydata's (falsy) result where the navigation is empty
                return html
            state[key] = Markup(html)
        return state[key]

    context["generate_toctree_html"] = generate_toctree_html


def forget_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once documents are read: forget the last build's navigation (the toctree may have changed)."""
    app.__dict__.pop(_RENDERED, None)
    return []
