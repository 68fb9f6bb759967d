"""What the blog's sidebars and post navigation show, as one view: the templates render it, the
fingerprints digest it.

ablog's sidebars (recent posts, categories, tags, archives, authors …) and our post pages'
browse sidebar show other posts, so a page that was not re-read may still need writing
again when a post is added or retitled.  This module computes, once per build after
reading, a :class:`SidebarView` of everything those sidebars show, and of every post's
previous and next post (``ablog/postnavy.html``).  Our sidebar templates
(``theme/portal/templates/ablog/*.html``, ``portal/browse.html``) render only from it —
``ablog_sidebar`` in the page context — and the fingerprint of each template is the
digest of the parts of the view it renders (:data:`TEMPLATE_PARTS`), so a page and its
fingerprint cannot drift apart: what a template does not take from the view, it cannot
show (``tests/pages/test_ablog_sidebars.py`` renders each template with only its parts).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from zhiyuan.compat import ablog
from zhiyuan.pages.generated import digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# Posts the recent-posts sidebar lists: five, after leaving out the page's own post.
RECENT = 5


@dataclass(frozen=True)
class RecentPost:
    """One post as the recent-posts sidebar shows it."""

    docname: str
    title: str
    date: dt.datetime
    section: str  # the post's section id when one document holds several posts
    external_link: str


@dataclass(frozen=True)
class Link:
    """One collection of a catalog (a category, tag, year, author …) as a sidebar shows it."""

    name: str
    docname: str
    count: int
    size: int  # the tag cloud's relative size, 1 to 5


@dataclass(frozen=True)
class CatalogView:
    """A catalog's page and its collections that hold posts, in ablog's order."""

    docname: str
    links: tuple[Link, ...]

    def __bool__(self) -> bool:
        return bool(self.links)

    def names(self) -> CatalogView:
        """The same links without counts or sizes (the browse sidebar shows only names)."""
        return CatalogView(self.docname, tuple(Link(link.name, link.docname, 0, 0) for link in self.links))


_CATALOGS = ("category", "tags", "archive", "author", "language", "location")


@dataclass(frozen=True)
class SidebarView:
    """Everything the blog's sidebars show, for every page of one build."""

    blog_path: str
    newest: tuple[RecentPost, ...]
    catalog_views: tuple[tuple[str, CatalogView], ...]
    #: ``(docname, previous, next)`` of every published post
    neighbours: tuple[tuple[str, RecentPost | None, RecentPost | None], ...] = ()

    def recent(self, pagename: str) -> list[RecentPost]:
        """The newest posts but the page's own, as ablog's ``recent(5, pagename)``."""
        return [post for post in self.newest if post.docname != pagename][:RECENT]

    @functools.cached_property
    def _neighbours_by_post(self) -> dict[str, tuple[RecentPost | None, RecentPost | None]]:
        return {docname: (previous, following) for docname, previous, following in self.neighbours}

    def neighbours_of(self, pagename: str) -> tuple[RecentPost | None, RecentPost | None] | None:
        """The previous and next post of the post *pagename*; None if it is no published post."""
        return self._neighbours_by_post.get(pagename)

    @functools.cached_property
    def _catalogs_by_name(self) -> dict[str, CatalogView]:
        return dict(self.catalog_views)

    def catalog(self, name: str) -> CatalogView:
        return self._catalogs_by_name[name]

    def part(self, name: str) -> Any:
        """One part of the view, by its name in :data:`TEMPLATE_PARTS`."""
        if name == "recent":
            return self.newest
        if name == "blog_path":
            return self.blog_path
        if name.endswith(":names"):
            return self.catalog(name.partition(":")[0]).names()
        return self.catalog(name)


#: The parts of the view each sidebar template renders, and nothing else.
TEMPLATE_PARTS: dict[str, tuple[str, ...]] = {
    "ablog/recentposts.html": ("recent", "blog_path"),
    "ablog/categories.html": ("category",),
    "ablog/tagcloud.html": ("tags",),
    "ablog/archives.html": ("archive",),
    "ablog/authors.html": ("author",),
    "ablog/languages.html": ("language",),
    "ablog/locations.html": ("location",),
    "portal/browse.html": ("category:names", "archive:names", "tags:names", "blog_path"),
}


def _shown(post: Any) -> RecentPost | None:
    if post is None:
        return None
    return RecentPost(post.docname, str(post.title), post.date, post.section or "", post.external_link or "")


def sidebar_view(app: Sphinx) -> SidebarView:
    """This build's view, from ablog's blog (its posts registered after reading)."""
    newest = tuple(_shown(post) for post in ablog.newest_posts(app, RECENT + 1))
    neighbours = tuple(
        (docname, _shown(previous), _shown(following))
        for docname, (previous, following) in sorted(ablog.post_neighbours(app).items())
    )
    catalogs = []
    for name in _CATALOGS:
        docname, collections = ablog.catalog_collections(app, name)
        links = tuple(Link(str(coll.name), coll.docname, len(coll), coll.relsize(5, 1)) for coll in collections)
        catalogs.append((name, CatalogView(docname, links)))
    return SidebarView(app.config.blog_path, newest, tuple(catalogs), neighbours)


def template_fingerprint(view: SidebarView, template: str) -> str:
    """The digest of what *template* shows: the parts of the view it renders."""
    return digest([template, *(repr(view.part(name)) for name in TEMPLATE_PARTS[template])])


def neighbour_fingerprints(view: SidebarView) -> dict[str, str]:
    """Per published post, the digest of what its post navigation shows (``ablog/postnavy.html``)."""
    return {docname: digest(repr((previous, following))) for docname, previous, following in view.neighbours}


# -- this build's view -------------------------------------------------------------

_views: WeakKeyDictionary[Sphinx, SidebarView] = WeakKeyDictionary()


def view(app: Sphinx) -> SidebarView:
    """This build's view, computed when first asked for (after reading)."""
    if app not in _views:
        _views[app] = sidebar_view(app)
    return _views[app]


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """A new build: its view is computed anew once the documents are read."""
    _views.pop(app, None)


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Hand the sidebar templates the view."""
    context["ablog_sidebar"] = view(app)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("html-page-context", _on_html_page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
