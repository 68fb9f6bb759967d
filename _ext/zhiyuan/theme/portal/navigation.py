"""The site navigation of the primary sidebar, rendered once and kept between builds.

pydata-sphinx-theme renders the sidebar's navigation for every page: Sphinx
resolves the site's toctree for the page, renders it, and pydata parses the
HTML with BeautifulSoup to add its collapse toggles — a noticeable share of a
clean build (PERFORMANCE.md) — and the first such parse in a process compiles
soupsieve's CSS-selector patterns.  Posts, ablog's archives and the home index's pages 2…n are in no
toctree, so none of their navigation entries is "current": the navigation of
two such pages differs only in its relative links, that is, only if they lie in
different folders.  For those pages it is rendered once per folder (and per set
of arguments); pages in the toctree get their own.  It is built with lxml
(:mod:`.sidebar_nav`), which needs no CSS selectors.

Either is kept in the doctree folder between builds, under the digest of what
every page depends on besides its content (:func:`generated_pages.site_inputs`:
the toctree, the titles and local tables of contents of the documents in it,
the configuration, the templates, the package versions), so a build that
changes a post's text or title, or adds a post, renders no navigation at all.
Pages that link otherwise than Sphinx does (the 404 page's links are absolute)
get theirs built with lxml too, for that page alone.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from zhiyuan import caches
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.pages.generated import site_inputs

from .sidebar_nav import sidebar_nav

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_RENDERED = "_portal_theme_navigation"
_CACHE_FILE = "portal_theme_navigation.pickle"


def _in_navigation(app: Sphinx) -> set[str]:
    """The root document and every document a toctree includes (the same all through writing)."""
    env = app.env
    return {app.config.root_doc, *env.toctree_includes, *(doc for docs in env.toctree_includes.values() for doc in docs)}


def _sphinx_links(context: dict[str, Any]) -> bool:
    """True if the page links as Sphinx does (the 404 page's ``pathto`` and ``toctree`` are notfound's)."""
    return sphinx_compat.links_as_sphinx(context.get("pathto"), context.get("toctree"))


class _Navigations:
    """Navigation HTML by (page or folder, arguments): this build's, or the last build's under the same site digest."""

    def __init__(self, path: Path, site: str, in_navigation: set[str]) -> None:
        self.path = path
        self.site = site
        self.in_navigation = in_navigation
        stored = caches.read(path)
        self.html: dict[tuple[Any, ...], str] = stored[1] if isinstance(stored, tuple) and stored[0] == site else {}
        self.changed = False

    def get(self, key: tuple[Any, ...], render: Callable[[], Any]) -> Any:
        if key not in self.html:
            html = str(render())
            if not html:  # keep pydata's (falsy) result where the navigation is empty
                return html
            self.html[key] = html
            self.changed = True
        return Markup(self.html[key])

    def save(self) -> None:
        if self.changed:
            caches.write(self.path, (self.site, self.html))
            self.changed = False


def _navigations(app: Sphinx) -> _Navigations:
    if _RENDERED not in app.__dict__:
        app.__dict__[_RENDERED] = _Navigations(
            caches.path(app.doctreedir, _CACHE_FILE), site_inputs(app), _in_navigation(app)
        )
    return app.__dict__[_RENDERED]


def share_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """After pydata's ``add_toctree_functions``: the sidebar navigation of this page, its folder's if it is
    outside the toctree, rendered once and kept; a page linking otherwise, its own."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def render(show_nav_level: int, **kwargs: Any) -> Any:
        built = sidebar_nav(context["toctree"](**kwargs), show_nav_level)
        return built if built is not None else generate("sidebar", 0, show_nav_level, **kwargs)

    if _sphinx_links(context):
        navigations = _navigations(app)
        if pagename in navigations.in_navigation:
            scope = ("page", pagename)
        else:
            scope = ("folder", posixpath.dirname(app.builder.get_target_uri(pagename)))

        def sidebar(show_nav_level: int, **kwargs: Any) -> Any:
            key = (*scope, show_nav_level, tuple(sorted(kwargs.items())))
            return navigations.get(key, lambda: render(show_nav_level, **kwargs))
    else:
        sidebar = render  # links of its own: rendered for this page alone

    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any) -> Any:
        if kind != "sidebar" or startdepth != 0:
            return generate(kind, startdepth, show_nav_level, **kwargs)
        return sidebar(show_nav_level, **kwargs)

    context["generate_toctree_html"] = generate_toctree_html


def forget_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once documents are read: forget the navigation looked up before (the toctree may have changed)."""
    app.__dict__.pop(_RENDERED, None)
    return []


def save_navigation(app: Sphinx) -> None:
    """Keep this build's navigation for the next (when any was rendered)."""
    if _RENDERED in app.__dict__:
        app.__dict__[_RENDERED].save()
