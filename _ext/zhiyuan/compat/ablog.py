"""ablog: every use of its internals, written for ablog 0.11.

ablog keeps its blog in one dictionary shared by every ``Blog`` instance of the process
(``Blog._dict``), one record dict per post on the environment (``env.ablog_posts``), and
writes its archive pages and Atom feeds from two ``html-collect-pages`` listeners.  The
site reaches into these to write archive pages and feeds only when they changed
(``pages/ablog_incremental.py``), to give archives distinct slugs
(``pages/archive_slugs.py``) and labels (``pages/ablog_labels.py``), to show the site's
excerpt in ablog's feeds and post lists, and to forget one build's blog before the next
(``theme/portal``), and to read what the sidebars show (``pages/ablog_sidebars.py``).
Every such access is a function here.  The patches — taking over the page and feed
writers, shrinking and merging the records, slugs, labels, excerpts, forgetting the blog
— are applied only while :func:`active` says the installed ablog is one they were written
for; otherwise each part leaves ablog to do its own work (see :data:`PATCH`).  Reading
the blog's posts and catalogs, which ablog offers its own templates, does not depend on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ablog.blog as ablog_blog
from ablog.blog import Blog, os_path_join, slugify
from ablog.post import (
    PostList,
    UpdateNode,
    generate_archive_pages,
    generate_atom_feeds,
    process_posts,
    register_posts,
)
from docutils import nodes
from lxml import etree

from zhiyuan.compat import Patch, applies
from zhiyuan.compat.sphinx import wrap_listener

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = [
    "PATCH", "Blog", "active", "archive_pages", "catalog_collections", "feed_contents", "forget_blog", "is_post",
    "newest_posts", "post_neighbours",
    "merge_records", "os_path_join", "published_records", "record_labels", "reslug_collections",
    "shrink_records", "slugify", "take_over_page_writers", "update_notes", "use_excerpts", "wants_excerpts",
    "write_feeds",
]

PATCH = Patch(
    "ablog", ">=0.11.13,<0.12",
    "every archive page and feed is written on every build, post pages are all rewritten after "
    "each change, posts are read serially, archives keep ablog's slugs (names that differ only "
    "in punctuation share a page) and are missing from objects.inv, feeds and post lists show "
    "ablog's excerpts",
)


def active(app: Sphinx) -> bool:
    """Whether the installed ablog is one these functions were written for (warns once if not)."""
    return applies(app, PATCH)


def update_notes(doctree: nodes.Node) -> list[tuple[str, nodes.Element]]:
    """ablog's ``update`` notes in *doctree*, in document order: each note's date as the author
    wrote it (ablog's ``UpdateNode`` keeps it in ``date``) and the note."""
    return [(str(node.get("date", "")).strip(), node) for node in doctree.findall(UpdateNode)]


# -- ablog's post records (``env.ablog_posts``) -------------------------------


def published_records(env: BuildEnvironment) -> list[dict[str, Any]]:
    """ablog's records of published posts, oldest first (ablog's own order).

    Each record is ablog's dict (keys ``docname``, ``title``, ``date``, ``update``,
    ``category``, ``tags``, ``author`` …).  "Published" is ablog's own test (dated before
    the ``TOMORROW`` it computes at import), so that what we fingerprint is what ablog lists.
    """
    posts = [
        info
        for infos in getattr(env, "ablog_posts", {}).values()
        for info in infos
        if info["date"] and info["date"] < ablog_blog.TOMORROW
    ]
    return sorted(posts, key=lambda info: (info["date"], info["title"]))


def record_labels(env: BuildEnvironment, key: str) -> dict[str, list[str]]:
    """``{label: [docnames]}`` of every label in field *key* of ablog's records, published or not."""
    found: dict[str, list[str]] = {}
    for docname, infos in sorted(getattr(env, "ablog_posts", {}).items()):
        for info in infos:
            for label in info.get(key) or []:
                found.setdefault(str(label), []).append(docname)
    return found


def merge_records(env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Take over the post records a parallel reader collected, in document order (ablog has
    no ``env-merge-info`` handler: sunpy/ablog#330)."""
    records = getattr(env, "ablog_posts", {})
    records.update((doc, infos) for doc, infos in getattr(other, "ablog_posts", {}).items() if doc in docnames)
    # Readers finish in any order; a stable order keeps same-date posts in place.
    env.ablog_posts = dict(sorted(records.items()))


def declare_parallel_read_safe(app: Sphinx) -> None:
    """ablog purges its records per document but, lacking a merge handler, says it is not
    parallel-read safe; call this only with :func:`merge_records` connected."""
    app.extensions["ablog"].parallel_read_safe = True


def _no_copy() -> nodes.Element:
    return nodes.container()


def _without_doctree_copy(process_posts: Callable[..., None]) -> Callable[..., None]:
    """ablog's doctree-read handler, without the deep copy of the whole document it keeps for
    full-text feeds (:func:`shrink_records` drops it right after when they are off)."""

    @functools.wraps(process_posts)
    def process_posts_without_doctree_copy(app: Sphinx, doctree: nodes.document) -> None:
        if app.config.blog_feed_fulltext:
            process_posts(app, doctree)
            return
        doctree.deepcopy = _no_copy  # this document only, for this call only
        try:
            process_posts(app, doctree)
        finally:
            del doctree.deepcopy

    return process_posts_without_doctree_copy


def read_posts_without_doctree_copies(app: Sphinx) -> None:
    """Have ablog's reader (``process_posts``) store no copy of the document it reads."""
    wrap_listener(app, "doctree-read", process_posts, _without_doctree_copy)


def shrink_records(env: BuildEnvironment, docname: str, keep_excerpt: bool) -> None:
    """Drop the doctree copies ablog just stored for *docname*; keep its excerpt's text only
    if *keep_excerpt*."""
    for info in getattr(env, "ablog_posts", {}).get(docname, []):
        text = " ".join(
            node.astext() for node in info["excerpt"] if isinstance(node, nodes.paragraph)
        ) if keep_excerpt else ""
        info["excerpt"] = [nodes.paragraph(text, text)] if text else []
        info["doctree"] = None


# -- the blog (``Blog``, one state per process) -------------------------------


def forget_blog() -> None:
    """Forget the posts of any earlier build in this process (``Blog._dict`` is shared)."""
    Blog._dict.clear()


def blog(app: Sphinx) -> Blog:
    """ablog's blog, with its posts registered (ablog does that when it first needs them)."""
    if not Blog(app):
        register_posts(app)
    return Blog(app)


def is_post(app: Sphinx, pagename: str) -> bool:
    """Whether *pagename* is one of the blog's posts."""
    return pagename in Blog(app)


def wants_excerpts(doctree: nodes.document) -> bool:
    """Whether *doctree* holds a ``postlist`` that shows excerpts."""
    return any(node.get("excerpts") for node in doctree.findall(PostList))


def use_excerpts(app: Sphinx, excerpt_of: Callable[[str], str | None]) -> None:
    """Give every post of the blog the excerpt ``excerpt_of(docname)`` (one paragraph), where
    that is not None; ablog's feeds and post lists show it."""
    for post in blog(app).posts:
        text = excerpt_of(post.docname)
        if text is not None:
            post.excerpt = [nodes.paragraph(text, text)]


# -- archive pages and feeds ---------------------------------------------------


def take_over_page_writers(app: Sphinx) -> None:
    """Disconnect ablog's ``html-collect-pages`` listeners: :func:`archive_pages` and
    :func:`write_feeds` are then called by whoever took over."""
    ablog_handlers = {generate_archive_pages, generate_atom_feeds}
    for listener in list(app.events.listeners["html-collect-pages"]):
        if listener.handler in ablog_handlers:
            app.disconnect(listener.id)


def archive_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Every archive page ablog would write: ``(pagename, context, template)``."""
    return list(generate_archive_pages(app))


# The catalogs ablog writes a feed for, per collection (``blog_feed_archives``).
_FEED_CATALOGS = ("author", "location", "language", "category", "archive", "tags")


def feed_contents(app: Sphinx, row: Callable[[Any], Any]) -> dict[str, Any]:
    """What each Atom feed ablog writes shows, by its path in the output folder: its collection
    and ``row(post)`` of the newest ``blog_feed_length`` posts, ordered as ablog orders them."""
    the_blog = blog(app)
    if not the_blog.blog_baseurl:
        return {}  # ablog writes no feed
    collections = [the_blog.posts]
    if the_blog.blog_feed_archives:
        collections += [coll for name in _FEED_CATALOGS for coll in getattr(the_blog, name) if len(coll)]
    feeds = {}
    for coll in collections:
        newest = sorted(coll, key=lambda post: post.date, reverse=True)[: the_blog.blog_feed_length or None]
        shown = [str(coll), coll.path, [row(post) for post in newest]]
        for root in the_blog.blog_feed_templates:
            feeds[f"{coll.path}/{root}.xml"] = [root, shown]
    return feeds


@contextlib.contextmanager
def _feeds_of(the_blog: Blog, paths: set[str]) -> Iterator[None]:
    """Let ablog's feed writer see only the collections whose feeds are among *paths* (the
    site-wide feed it writes always)."""
    folders = {path.rpartition("/")[0] for path in paths}
    shared = vars(the_blog)  # ablog's Blog is one state shared by all its instances
    catalogs = {name: shared[name] for name in _FEED_CATALOGS}
    for name, catalog in catalogs.items():
        shared[name] = [coll for coll in catalog if coll.path in folders]
    try:
        yield
    finally:
        shared.update(catalogs)


_ATOM = "{http://www.w3.org/2005/Atom}"


def _stamp_feed(path: Path, rights: str = "") -> None:
    """Date an Atom feed by its newest entry (feedgen stamps it with the current time), and
    state its licence (*rights*) if it states none."""
    parser = etree.XMLParser(remove_blank_text=True)
    tree = etree.parse(str(path), parser)
    root = tree.getroot()
    if rights and root.find(f"{_ATOM}rights") is None:
        element = etree.Element(f"{_ATOM}rights")
        element.text = rights
        first_entry = root.find(f"{_ATOM}entry")
        if first_entry is None:
            root.append(element)
        else:
            first_entry.addprevious(element)
    feed_updated = tree.getroot().find(f"{_ATOM}updated")
    entries = [dt.datetime.fromisoformat(e.text) for e in tree.getroot().iterfind(f"{_ATOM}entry/{_ATOM}updated")]
    if feed_updated is None or not entries:
        return
    feed_updated.text = max(entries).isoformat()
    path.write_bytes(etree.tostring(tree, pretty_print=True, encoding="UTF-8", xml_declaration=True))


def write_feeds(app: Sphinx, paths: set[str]) -> None:
    """Have ablog write the feeds at *paths* (and the site-wide feed, which it writes always),
    each dated by its newest entry."""
    the_blog = blog(app)
    with _feeds_of(the_blog, paths):
        list(generate_atom_feeds(app))  # writes the feeds itself
    licence = getattr(app.config, "site_licence", "")
    rights = f"{licence}（另有注明的除外）" if licence else ""
    for path in sorted(paths | {f"{the_blog.posts.path}/{root}.xml" for root in the_blog.blog_feed_templates}):
        _stamp_feed(Path(app.outdir) / path, rights)


# -- archive slugs -------------------------------------------------------------


def reslug_collections(
    app: Sphinx, key: str, labels: set[str], slug_of: Callable[[str], str]
) -> list[Any]:
    """Give the collections of ablog's catalog *key* (``category``, ``tags``, ``author``) the
    slug ``slug_of(name)`` for their page and cross-reference, before ablog files posts into
    them; return the collections named in *labels* (those that get a page)."""
    the_blog = Blog(app)
    refs = the_blog.references
    catalog = the_blog.catalogs[key]
    # ablog creates a collection on first access, registering its own slug's cross-reference
    # target; drop those before registering ours.  Configured authors without posts already
    # have a collection.
    collections = [catalog[label] for label in sorted(labels | set(catalog.collections))]
    for coll in collections:
        refs.pop(coll.xref, None)
    for coll in collections:
        coll._path = os_path_join(catalog.path, slug_of(coll.name))
        coll.xref = f"{catalog.xref}-{slug_of(coll.label)}"
        refs[coll.xref] = (coll.docname, coll.name)
    return [coll for coll in collections if coll.label in labels]


# -- what the sidebars show ----------------------------------------------------


def newest_posts(app: Sphinx, count: int) -> list[Any]:
    """The *count* newest of the blog's posts (ablog's ``Post`` objects), newest first."""
    return list(blog(app).recent(count))


def catalog_collections(app: Sphinx, name: str) -> tuple[str, list[Any]]:
    """The page of ablog's catalog *name* (``category``, ``tags``, ``archive``, ``author``,
    ``language``, ``location``) and its collections with posts, in ablog's order."""
    catalog = getattr(blog(app), name)
    return catalog.docname, [coll for coll in catalog if len(coll)]


def post_neighbours(app: Sphinx) -> dict[str, tuple[Any, Any]]:
    """For each published post (by docname), the previous and next published posts ablog links
    it to (``Post.prev``, ``Post.next``: ``None`` at either end)."""
    neighbours: dict[str, tuple[Any, Any]] = {}
    for post in blog(app).posts:
        neighbours.setdefault(post.docname, (post.prev, post.next))
    return neighbours
