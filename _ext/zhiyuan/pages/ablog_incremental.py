"""Incremental builds for ablog: rewrite what changed, and only that.

ablog regenerates every archive, category, tag and year page and every feed on
every build, even a no-op one, and Sphinx does not know that a post's page shows
other posts (the sidebars' recent posts, category and tag counts, archives; the
previous/next links), so after a title change or a new post those pages go
stale until a clean build.  This extension

* keeps, on the environment, the fingerprint of each sidebar template that shows
  other posts — the digest of its parts of the sidebar view it renders
  (:mod:`zhiyuan.pages.ablog_sidebars`) — and of each post's previous/next
  neighbours; after reading, it asks Sphinx to rewrite every page with a sidebar
  whose fingerprint changed, and each post whose neighbours changed;
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
  and of its excerpt nodes in the environment (most of its pickle; PERFORMANCE.md),
  used only for full-text feeds, which we do not publish; the doctree is not
  copied at all (the copy was most of ablog's reading time), and the excerpt
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

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan import caches, state
from zhiyuan.compat import ablog
from zhiyuan.pages import ablog_sidebars
from zhiyuan.pages.generated import (
    add_template_inputs,
    digest,
    page_cache,
    sidebars,
    site_inputs,
)
from zhiyuan.pages.latest_updates import excerpt_inputs, post_excerpt
from zhiyuan.posts.model import post_records

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

_STATE_FILE = "ablog_incremental.json"


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages that show other posts and must be rewritten although they were not re-read."""
    if not ablog.active(app):
        return sorted(env.found_docs)  # without the fingerprints, every page may be stale
    sidebar_view = ablog_sidebars.view(app)
    fingerprints = {t: ablog_sidebars.template_fingerprint(sidebar_view, t) for t in ablog_sidebars.TEMPLATE_PARTS}
    neighbours = ablog_sidebars.neighbour_fingerprints(sidebar_view)
    old_fingerprints = state.site_value(env, "ablog_incremental.sidebars") or {}
    old_neighbours = state.site_value(env, "ablog_incremental.neighbours", {})
    state.set_site_value(env, "ablog_incremental.sidebars", fingerprints)
    state.set_site_value(env, "ablog_incremental.neighbours", neighbours)
    stale_templates = {t for t, value in fingerprints.items() if old_fingerprints.get(t, value) != value}
    rewrite = set()
    if stale_templates:
        rewrite |= {doc for doc in env.found_docs if sidebars(app, doc) & stale_templates}
    rewrite |= {doc for doc, value in neighbours.items() if old_neighbours.get(doc, value) != value}
    return sorted(rewrite & env.found_docs)


# -- archive pages and feeds --------------------------------------------------


def _excerpts(env: BuildEnvironment) -> dict[str, str]:
    """A digest of what each post's excerpt is rendered from, computed once: pages list a post
    up to seven times."""
    return {doc: digest([record.title, excerpt_inputs(env, record)]) for doc, record in sorted(post_records(env).items())}


def archive_fingerprint(env: BuildEnvironment, site_inputs: str, excerpts: dict[str, str]) -> str:
    """Everything ablog's archive pages and feeds show or depend on."""
    posts = [
        (i["docname"], i["title"], i["date"], i["update"], i.get("category"), i.get("tags"), i.get("author"),
         i.get("redirect"))  # a post's old addresses are pages of ablog's too (zhiyuan.pages.redirects)
        for i in ablog.published_records(env)
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


def _state_path(app: Sphinx) -> Path:
    return caches.path(app.doctreedir, _STATE_FILE)


def _load_state(app: Sphinx) -> dict[str, Any]:
    try:
        return json.loads(_state_path(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the doctree copies ablog just stored for this post; keep the excerpt's text,
    or nothing where the site's excerpt (latest_updates) replaces it."""
    if app.config.blog_feed_fulltext:
        return
    ablog.shrink_records(app.env, app.env.docname, keep_excerpt=app.env.docname not in post_records(app.env))


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before ablog fills a post list that shows excerpts, give its posts the site's excerpts."""
    if ablog.wants_excerpts(doctree):
        _use_site_excerpts(app)


def _on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Take over the post records a parallel reader collected."""
    ablog.merge_records(env, docnames, other)


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Note removed documents, whose pages are deleted once the build succeeded."""
    app._ablog_incremental_removed = set(removed)
    return []


def _use_site_excerpts(app: Sphinx) -> None:
    """Give ablog's feed entries the site's excerpt (home page, meta description) as summary."""
    records = post_records(app.env)
    if records:
        ablog.use_excerpts(
            app, lambda docname: post_excerpt(app.env, records[docname]) if docname in records else None
        )


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
        ablog.write_feeds(app, stale)
    logger.info("ablog feeds: %d of %d written", len(stale), len(digests))
    return digests


def _on_html_collect_pages(app: Sphinx):
    """ablog's archive pages and feeds, unless nothing they show changed since they were written."""
    if app.builder.format != "html":
        return
    ablog.blog(app)
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
    pages = ablog.archive_pages(app)
    _use_site_excerpts(app)
    # Feeds and pages: only those whose own posts, or anything they share
    # (sidebars, navigation, configuration, templates), changed.
    rows: dict[tuple[str, str], str] = {}
    contents = {
        path: [shown, site]
        for path, shown in ablog.feed_contents(app, lambda post: _row(post, excerpts, rows)).items()
    }
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("ablog")
    app.setup_extension("zhiyuan.pages.generated")
    app.setup_extension("zhiyuan.pages.ablog_sidebars")
    # Removed documents' pages go whatever ablog's version (a gap of Sphinx's own).
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("build-finished", _on_build_finished)
    app.connect("env-get-updated", _on_env_get_updated)
    metadata = {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
    if not ablog.active(app):
        return metadata  # ablog writes its pages and feeds itself, every build
    ablog.take_over_page_writers(app)
    ablog.read_posts_without_doctree_copies(app)
    for template in ablog_sidebars.TEMPLATE_PARTS:
        add_template_inputs(app, [template], lambda app, template=template: ablog_sidebars.template_fingerprint(
            ablog_sidebars.view(app), template))
    # With the merge handler below, ablog's records survive parallel reads.
    ablog.declare_parallel_read_safe(app)
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("doctree-read", _on_doctree_read, priority=600)  # after ablog's (500)
    app.connect("doctree-resolved", _on_doctree_resolved, priority=400)  # before ablog's post lists (500)
    app.connect("html-collect-pages", _on_html_collect_pages)
    return metadata
