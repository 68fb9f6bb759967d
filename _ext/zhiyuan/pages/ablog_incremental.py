"""Incremental builds for ablog: rewrite what changed, and only that.

ablog regenerates every archive, category, tag and year page and every feed on
every build, even a no-op one, and Sphinx does not know that a post's page shows
other posts (the sidebars' recent posts, category and tag counts, archives; the
previous/next links), so after a title change or a new post those pages go
stale until a clean build.  This extension

* keeps, on the environment, a fingerprint of what ablog's sidebars show, of
  what our post pages' browse sidebar (``portal/browse.html``) shows, and of
  each post's previous/next neighbours; after reading, it asks Sphinx to
  rewrite every page with a sidebar whose fingerprint changed, and each post
  whose neighbours changed;
* replaces ablog's ``html-collect-pages`` handlers by one that skips the archive
  pages and feeds when nothing they show changed (their fingerprint covers the
  posts' titles, dates, labels and excerpts, the site navigation, the HTML
  configuration, our templates and the package versions) and their files are
  still in the output folder; when something changed, of the archive pages only
  those whose own fingerprint (their posts, plus the sidebars and everything
  above) changed are written again (a :mod:`generated_pages` cache), and of the
  feeds only those whose newest ``blog_feed_length`` posts changed (ablog's
  writer is shown only their collections; it writes the site-wide feed always);
* deletes what a clean build would not write: the pages of removed documents
  and archive pages or feeds that no longer exist (a tag whose last post went);
* keeps ablog's records small: ablog stores a deep copy of every post's doctree
  and of its excerpt nodes in the environment (13 MB of pickle at 300 posts),
  used only for full-text feeds, which we do not publish; the doctree is not
  copied at all (the copy took a third of ablog's reading time), and the excerpt
  is dropped where the site's own (``latest_updates``) replaces it — in the
  feeds, the archive pages and post lists with ``:excerpts:`` (elsewhere the
  excerpt's plain text is kept);
* gives the Atom feeds' entries the site's excerpt (the one on the home page and
  in ``<meta name="description">``) as summary, and each feed's ``<updated>``
  the newest entry's date instead of the time of the build, so that two builds
  of the same sources write the same bytes;
* lets ablog take part in parallel reads: its one record per document,
  ``env.ablog_posts``, is purged by ablog and merged here, and the blog's
  catalogs are rebuilt from the merged records before writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ablog.blog as ablog_blog
from ablog.blog import Blog
from ablog.post import PostList, generate_archive_pages, generate_atom_feeds, process_posts, register_posts
from docutils import nodes
from lxml import etree
from sphinx.util import logging

from zhiyuan.compat.listeners import wrap_listener
from zhiyuan.pages.generated import add_template_inputs, digest, page_cache, sidebars, site_inputs

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

_STATE_FILE = "ablog_incremental.json"
_ENV_SIDEBAR = "ablog_incremental_sidebar"
_ENV_NEIGHBOURS = "ablog_incremental_neighbours"


def published_posts(env: BuildEnvironment) -> list[dict[str, Any]]:
    """ablog's records of published posts, oldest first (ablog's own order).

    "Published" is ablog's own test (``Post.published``: dated before its ``TOMORROW``),
    so that what we fingerprint is what ablog lists.
    """
    posts = [
        info
        for infos in getattr(env, "ablog_posts", {}).values()
        for info in infos
        if info["date"] and info["date"] < ablog_blog.TOMORROW
    ]
    return sorted(posts, key=lambda info: (info["date"], info["title"]))


def _counts(posts: list[dict[str, Any]], key: str) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for info in posts:
        for label in info.get(key) or []:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items())


def sidebar_fingerprint(env: BuildEnvironment) -> str:
    """What ablog's sidebars show: recent posts, category, tag, author and year counts."""
    posts = published_posts(env)
    recent = [(i["docname"], i["title"], i["date"]) for i in posts[-6:]]
    years = _counts([{**i, "year": [i["date"].year]} for i in posts], "year")
    return digest([recent, years, *(_counts(posts, k) for k in ("category", "tags", "author"))])


def neighbour_fingerprints(env: BuildEnvironment) -> dict[str, str]:
    """Per post, its previous and next post as the post navigation shows them."""
    posts = published_posts(env)
    result = {}
    for index, info in enumerate(posts):
        prev = posts[index - 1] if index > 0 else None
        nxt = posts[index + 1] if index + 1 < len(posts) else None
        result[info["docname"]] = digest([(p["docname"], p["title"]) if p else None for p in (prev, nxt)])
    return result


def browse_fingerprint(env: BuildEnvironment) -> str:
    """What a post page's browse sidebar (``portal/browse.html``) shows: category names and years."""
    posts = published_posts(env)
    return digest([sorted({c for i in posts for c in i.get("category") or []}), sorted({i["date"].year for i in posts})])


# Sidebar templates that show other posts, and the fingerprint that covers each.
# (ablog's postcard shows only the page's own post.)
_SIDEBARS_SHOWING_POSTS = {
    **dict.fromkeys(
        [f"ablog/{name}.html" for name in ("recentposts", "categories", "tagcloud", "archives",
                                           "authors", "languages", "locations")],
        "ablog",
    ),
    "portal/browse.html": "browse",
}


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages that show other posts and must be rewritten although they were not re-read."""
    fingerprints = {"ablog": sidebar_fingerprint(env), "browse": browse_fingerprint(env)}
    neighbours = neighbour_fingerprints(env)
    old_fingerprints = getattr(env, _ENV_SIDEBAR, None) or {}
    old_neighbours = getattr(env, _ENV_NEIGHBOURS, {})
    setattr(env, _ENV_SIDEBAR, fingerprints)
    setattr(env, _ENV_NEIGHBOURS, neighbours)
    changed = {name for name, value in fingerprints.items() if old_fingerprints.get(name, value) != value}
    rewrite = set()
    if changed:
        stale_templates = {t for t, name in _SIDEBARS_SHOWING_POSTS.items() if name in changed}
        rewrite |= {doc for doc in env.found_docs if sidebars(app, doc) & stale_templates}
    rewrite |= {doc for doc, value in neighbours.items() if old_neighbours.get(doc, value) != value}
    return sorted(rewrite & env.found_docs)


# -- archive pages and feeds --------------------------------------------------


def _excerpts(env: BuildEnvironment) -> dict[str, str]:
    """A digest of what each post's excerpt is rendered from, computed once: pages list a post
    up to seven times."""
    from zhiyuan.pages.latest_updates import excerpt_inputs

    return {
        doc: digest([record.title, excerpt_inputs(env, record)])
        for doc, record in sorted(getattr(env, "latest_updates_posts", {}).items())
    }


def archive_fingerprint(env: BuildEnvironment, site_inputs: str, excerpts: dict[str, str]) -> str:
    """Everything ablog's archive pages and feeds show or depend on."""
    posts = [
        (i["docname"], i["title"], i["date"], i["update"], i.get("category"), i.get("tags"), i.get("author"))
        for i in published_posts(env)
    ]
    return digest([posts, excerpts, site_inputs])


def _row(post: Any, excerpts: dict[str, str], rows: dict[tuple[str, str], str]) -> str:
    """A digest of what a list or feed shows of *post*, kept in *rows* for the rest of the
    build (a post is listed on up to seven archive pages and in as many feeds)."""
    key = (post.docname, post.section)
    if key not in rows:
        rows[key] = digest([
            post.docname, post.section, post.title, post.date, post.update,
            [str(c) for c in post.category or []], [str(t) for t in post.tags or []],
            [str(a) for a in post.author or []], excerpts.get(post.docname),
        ])
    return rows[key]


def page_content(
    context: dict[str, Any], template: str, excerpts: dict[str, str], rows: dict[tuple[str, str], str]
) -> list[Any]:
    """What one archive page shows of its own: its posts, with their excerpts."""
    if "collection" in context:
        posts = list(context["collection"])
    elif "catalog" in context:
        posts = [post for collection in context["catalog"] for post in collection]
    else:
        posts = [context["post"]] if "post" in context else []
    shown = [_row(post, excerpts, rows) for post in posts]
    return [template, str(context.get("title")), str(context.get("header")), shown]


# The catalogs ablog writes a feed for, per collection (``blog_feed_archives``).
_FEED_CATALOGS = ("author", "location", "language", "category", "archive", "tags")


def feed_contents(blog: Blog, excerpts: dict[str, str], rows: dict[tuple[str, str], str]) -> dict[str, Any]:
    """What each Atom feed ablog writes shows, by its path in the output folder: its collection
    and the newest ``blog_feed_length`` posts, ordered as ablog orders them."""
    if not blog.blog_baseurl:
        return {}  # ablog writes no feed
    collections = [blog.posts]
    if blog.blog_feed_archives:
        collections += [coll for name in _FEED_CATALOGS for coll in getattr(blog, name) if len(coll)]
    feeds = {}
    for coll in collections:
        newest = sorted(coll, key=lambda post: post.date, reverse=True)[: blog.blog_feed_length or None]
        shown = [str(coll), coll.path, [_row(post, excerpts, rows) for post in newest]]
        for root in blog.blog_feed_templates:
            feeds[f"{coll.path}/{root}.xml"] = [root, shown]
    return feeds


@contextlib.contextmanager
def _feeds_of(blog: Blog, paths: set[str]) -> Iterator[None]:
    """Let ablog's feed writer see only the collections whose feeds are among *paths* (the
    site-wide feed it writes always)."""
    folders = {path.rpartition("/")[0] for path in paths}
    shared = vars(blog)  # ablog's Blog is one state shared by all its instances
    catalogs = {name: shared[name] for name in _FEED_CATALOGS}
    for name, catalog in catalogs.items():
        shared[name] = [coll for coll in catalog if coll.path in folders]
    try:
        yield
    finally:
        shared.update(catalogs)


def _state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / _STATE_FILE


def _load_state(app: Sphinx) -> dict[str, Any]:
    try:
        return json.loads(_state_path(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _no_copy() -> nodes.Element:
    return nodes.container()


def _without_doctree_copy(process_posts: Any) -> Any:
    """ablog's doctree-read handler, without the deep copy of the whole document it keeps for
    full-text feeds (:func:`_on_doctree_read` drops it right after when they are off)."""

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


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the doctree copies ablog just stored for this post; keep the excerpt's text,
    or nothing where the site's excerpt (latest_updates) replaces it."""
    if app.config.blog_feed_fulltext:
        return
    site_excerpt = app.env.docname in getattr(app.env, "latest_updates_posts", {})
    for info in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        text = "" if site_excerpt else " ".join(
            node.astext() for node in info["excerpt"] if isinstance(node, nodes.paragraph)
        )
        info["excerpt"] = [nodes.paragraph(text, text)] if text else []
        info["doctree"] = None


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before ablog fills a post list that shows excerpts, give its posts the site's excerpts."""
    if any(node.get("excerpts") for node in doctree.findall(PostList)):
        if not Blog(app):
            register_posts(app)
        _use_site_excerpts(app)


def _on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Take over the post records a parallel reader collected, in document order."""
    records = getattr(env, "ablog_posts", {})
    records.update((doc, infos) for doc, infos in getattr(other, "ablog_posts", {}).items() if doc in docnames)
    # Readers finish in any order; a stable order keeps same-date posts in place.
    env.ablog_posts = dict(sorted(records.items()))


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Note removed documents, whose pages are deleted once the build succeeded."""
    app._ablog_incremental_removed = set(removed)
    return []


def _use_site_excerpts(app: Sphinx) -> None:
    """Give ablog's feed entries the site's excerpt (home page, meta description) as summary."""
    records = getattr(app.env, "latest_updates_posts", {})
    if not records:
        return
    from zhiyuan.pages.latest_updates import post_excerpt

    for post in Blog(app).posts:
        record = records.get(post.docname)
        if record is not None:
            text = post_excerpt(app.env, record)
            post.excerpt = [nodes.paragraph(text, text)]


_ATOM = "{http://www.w3.org/2005/Atom}"


def _stamp_feed(path: Path) -> None:
    """Date an Atom feed by its newest entry (feedgen stamps it with the current time)."""
    parser = etree.XMLParser(remove_blank_text=True)
    tree = etree.parse(str(path), parser)
    feed_updated = tree.getroot().find(f"{_ATOM}updated")
    entries = [dt.datetime.fromisoformat(e.text) for e in tree.getroot().iterfind(f"{_ATOM}entry/{_ATOM}updated")]
    if feed_updated is None or not entries:
        return
    feed_updated.text = max(entries).isoformat()
    path.write_bytes(etree.tostring(tree, pretty_print=True, encoding="UTF-8", xml_declaration=True))


def _write_feeds(app: Sphinx, contents: dict[str, Any], written: dict[str, str]) -> dict[str, str]:
    """Write again the Atom feeds whose contents changed since *written* (their digests) or
    whose files are missing, delete those no longer written; return the new digests."""
    outdir = Path(app.outdir)
    digests = {path: digest(shown) for path, shown in contents.items()}
    for root in app.config.blog_feed_templates:
        for path in (outdir / app.config.blog_path).rglob(f"{root}.xml"):
            if path.relative_to(outdir).as_posix() not in digests:
                path.unlink()  # a tag or category whose last post went
    stale = {path for path, value in digests.items() if written.get(path) != value or not (outdir / path).is_file()}
    if stale:
        blog = Blog(app)
        with _feeds_of(blog, stale):
            list(generate_atom_feeds(app))  # writes the feeds itself
        for path in sorted(stale | {f"{blog.posts.path}/{root}.xml" for root in blog.blog_feed_templates}):
            _stamp_feed(outdir / path)
    logger.info("ablog feeds: %d of %d written", len(stale), len(digests))
    return digests


def _on_html_collect_pages(app: Sphinx):
    """ablog's archive pages and feeds, unless nothing they show changed since they were written."""
    if app.builder.format != "html":
        return
    if not Blog(app):
        register_posts(app)
    excerpts = _excerpts(app.env)
    site = site_inputs(app)
    fingerprint = archive_fingerprint(app.env, site, excerpts)
    state = _load_state(app)
    outdir = Path(app.outdir)
    cache = page_cache(app, "ablog")
    if (
        state.get("fingerprint") == fingerprint
        and state.get("outdir") == str(outdir)
        and cache.complete()
        and all((outdir / feed).is_file() for feed in state.get("feeds", {}))
    ):
        cache.keep_all()
        logger.info("ablog archive pages and feeds are up to date (%d files)",
                    len(cache.pages()) + len(state.get("feeds", {})))
        return
    pages = list(generate_archive_pages(app))
    _use_site_excerpts(app)
    # Feeds and pages: only those whose own posts, or anything they share
    # (sidebars, navigation, configuration, templates), changed.
    rows: dict[tuple[str, str], str] = {}
    contents = {path: [shown, site] for path, shown in feed_contents(Blog(app), excerpts, rows).items()}
    written = state.get("feeds", {}) if state.get("outdir") == str(outdir) else {}
    feeds = _write_feeds(app, contents, written if isinstance(written, dict) else {})
    app._ablog_incremental_pending = {"fingerprint": fingerprint, "outdir": str(outdir), "feeds": feeds}
    for name, context, template in pages:
        if not cache.keep(name, cache.fingerprint(name, page_content(context, template, excerpts, rows))):
            yield name, context, template


def _source_copies(app: Sphinx, docname: str) -> list[str]:
    """Where the HTML builder would have copied *docname*'s source (``_sources/...``)."""
    link_suffix = app.config.html_sourcelink_suffix
    names = []
    for suffix in app.config.source_suffix:
        name = docname + suffix
        names.append(f"_sources/{name if name.endswith(link_suffix) else name + link_suffix}")
    return names


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Remember what was generated, once the pages are really written."""
    if exception is not None:
        _state_path(app).unlink(missing_ok=True)
        return
    if app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    stale = set()
    for doc in getattr(app, "_ablog_incremental_removed", ()):
        stale.add(app.builder.get_target_uri(doc))
        stale |= set(_source_copies(app, doc))
    pending = app.__dict__.pop("_ablog_incremental_pending", None)
    if pending:
        _state_path(app).write_text(json.dumps(pending), encoding="utf-8")
    for name in sorted(stale):
        (outdir / name).unlink(missing_ok=True)


def _replace_ablog_page_handlers(app: Sphinx) -> None:
    ablog_handlers = {generate_archive_pages, generate_atom_feeds}
    for listener in list(app.events.listeners["html-collect-pages"]):
        if listener.handler in ablog_handlers:
            app.disconnect(listener.id)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    app.setup_extension("zhiyuan.pages.generated")
    _replace_ablog_page_handlers(app)
    wrap_listener(app, "doctree-read", process_posts, _without_doctree_copy)
    for name, fingerprint in (("ablog", sidebar_fingerprint), ("browse", browse_fingerprint)):
        templates = [t for t, covered_by in _SIDEBARS_SHOWING_POSTS.items() if covered_by == name]
        add_template_inputs(app, templates, lambda app, fingerprint=fingerprint: fingerprint(app.env))
    # ablog purges its records per document but has no merge handler, so it
    # says it is not parallel-read safe; with the handler below it is.
    app.extensions["ablog"].parallel_read_safe = True
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("doctree-read", _on_doctree_read, priority=600)  # after ablog's (500)
    app.connect("doctree-resolved", _on_doctree_resolved, priority=400)  # before ablog's post lists (500)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-get-updated", _on_env_get_updated)
    app.connect("html-collect-pages", _on_html_collect_pages)
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
