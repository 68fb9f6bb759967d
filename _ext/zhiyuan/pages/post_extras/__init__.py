"""What every post shows beyond its text: reading time, series, related posts.

Builds on ``latest_updates``' post records (title, date, categories).  When a
post is read, a second small record is kept on the environment — reading counts
(see :mod:`post_extras.reading_time`), tags, author and series — never its
doctree; records are purged and merged per document, so parallel reads are safe.

At write time (``doctree-resolved``) every published post gets, right under its
title::

    <div class="post-extras">
      <p class="post-meta">
        <time class="post-date" datetime="YYYY-MM-DD">YYYY-MM-DD</time>
        <span class="post-updated">最后更新 <time datetime="YYYY-MM-DD">YYYY-MM-DD</time></span>   (see below)
        <span class="post-categories"><a class="post-category" href="…">…</a></span>
        <span class="post-tags"><a class="post-tag" href="…">…</a> …</span>
        <span class="post-author">…</span>
        <span class="post-reading-time" data-minutes="N">阅读约 N 分钟</span>
      </p>
      <p class="post-freshness">                               (posts with either)
        <span class="post-tested-with">测试环境：torch 2.6, transformers 4.46</span>
        <span class="post-revisions">修订记录：<a href="#update-…">YYYY-MM-DD</a>、…</span>
      </p>
      <nav class="post-series" aria-label="系列">          (posts with ``series:``)
        <p class="post-series-position">「<a href="…/series/<slug>.html">name</a>」系列第 i 篇，共 n 篇</p>
        <ol><li><a href="…">…</a></li> <li aria-current="page">…</li> …</ol>
      </nav>
    </div>

and at its end::

    <nav class="post-related" aria-label="相关文章">
      <h2>相关文章</h2>
      <ul><li><a class="post-related-link" href="…">title</a> <time>…</time></li> …</ul>
    </nav>

「最后更新」is the day of the last commit that changed the post's file, from git
(:mod:`zhiyuan.pages.last_updated`), shown when it is later than the post's date; without
git, or in a shallow clone for a file older than its history, there is none.  The
front matter's ``tested_with`` is shown as written; the revision history links to each of
ablog's ``update`` notes in the post (a note renders where it is written, titled
「更新于 YYYY-MM-DD」).

Related posts share tags or a category with the post: score = shared tags +
1 for a shared category; at most ``post_extras_related_count``, highest score
first, then newest, then by title and path — deterministic.  Previous / next
links come from ablog (``post_show_prev_next``).

A series is named in front matter by a short id (``series: rl-foundations``,
kebab-case like tags); ``post_extras_series_titles`` maps ids to the titles
readers see (default: the id).  Each series gets an overview page
``series/<slug>`` (the id as ablog slugifies category names) listing its posts
in reading order — by date, then title, then path.
Everything that comes from an article is escaped.

A draft (no ``date``, or one after today) is built only by the live preview
(``post_frontmatter_show_drafts``, :mod:`zhiyuan.posts.frontmatter`); it gets, above
its title, ``<div class="zy-draft-banner docutils container"><p>草稿：…</p></div>``
and none of the above, which describe a published post.

Incremental builds re-read nothing extra: after reading, a digest of what each
post shows of other posts (related list, series box) is compared with the last
build's, and only the posts whose digest changed are rewritten.  Digests are
computed again only for the posts a changed post can show up on.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from html import escape
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.util import logging

from zhiyuan import state
from zhiyuan.compat import ablog
from zhiyuan.config import declare, serve_static
from zhiyuan.pages.archive_slugs import archive_slug
from zhiyuan.pages.generated import environment_changed, page_cache
from zhiyuan.pages.last_updated import last_updated
from zhiyuan.pages.latest_updates import add_html_node, post_excerpt
from zhiyuan.posts.fields import author_names
from zhiyuan.posts.frontmatter import is_draft
from zhiyuan.posts.model import Post, post_records, published_posts
from zhiyuan.posts.reading_time import minutes
from zhiyuan.posts.schema import DEFAULT_LICENCE, LICENCES

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

_STATIC = str(Path(__file__).resolve().parent / "static")
#: the banner above a draft's title in the live preview (``post_frontmatter_show_drafts``)
DRAFT_BANNER_CLASS = "zy-draft-banner"
DRAFT_BANNER_TEXT = "草稿：此文尚未发布，只在本地预览中可见。"

logger = logging.getLogger(__name__)



def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the posts whose related posts or series list changed; re-read nothing.

    Extras are rendered at write time from the records, so a post that was not
    re-read only needs rewriting when what it shows of other posts differs.
    When no document was read or removed, nothing they show can differ; when
    a few posts changed, only the posts they can show up on are looked at again.
    """
    app._post_extras_catalog = None  # this build's is computed when first needed
    if not environment_changed(app):
        return []
    # what the related lists and series boxes are computed from; the same (a body
    # edit, say) means that no post shows anything different
    inputs = _catalog_inputs(env)
    last_inputs = state.site_value(env, "post_extras.catalog_inputs")
    if inputs == last_inputs:
        return []
    state.set_site_value(env, "post_extras.catalog_inputs", inputs)
    catalog = _catalog(app)
    old: dict[str, _Shown] = state.site_value(env, "post_extras.shown", {})
    if last_inputs is None or last_inputs[1] != inputs[1]:
        recheck = set(catalog.published)
    else:
        recheck = _may_show_differently(catalog, last_inputs[0], inputs[0], old)
    new = {doc: old[doc] for doc in catalog.published if doc in old and doc not in recheck}
    new.update(_shown(app.config, catalog, recheck & catalog.published))
    state.set_site_value(env, "post_extras.shown", new)
    return sorted(doc for doc, shown in new.items() if doc in old and old[doc].digest != shown.digest)


_Row = tuple[str, str, tuple[str, ...], tuple[str, ...], "str | None"]


class _Shown(NamedTuple):
    """What a post shows of other posts: a digest of it, and its related posts in order."""

    digest: str
    related: tuple[str, ...]


def _catalog_inputs(env: BuildEnvironment) -> tuple[dict[str, _Row], list[Any]]:
    """Every published post's title, date, categories, tags and series by name, and the
    settings the related lists and series boxes follow."""
    config = env.config
    rows = {
        post.docname: (post.title, post.date.isoformat(), post.categories, post.tags, post.series)
        for post in published_posts(env)
    }
    return rows, [config.post_extras_related_count, dict(config.post_extras_series_titles)]


def _may_show_differently(
    catalog: _Catalog, old_rows: dict[str, _Row], rows: dict[str, _Row], old: dict[str, _Shown]
) -> set[str]:
    """The posts whose related list or series box may differ now that the *rows* differ from *old_rows*.

    A post's related list is ranked among the posts sharing a tag or category
    with it, and those keep their order unless their own row changed; so it can
    only differ if it showed a changed post, or a changed post now ranks ahead
    of the last one it showed.  A series box shows its series' members.
    """
    changed = {doc for doc in old_rows.keys() | rows.keys() if old_rows.get(doc) != rows.get(doc)}
    if len(changed) * 4 > len(rows):  # many: checking is no cheaper than ranking them all
        return set(catalog.published)
    recheck = set(changed)
    touched = {row[4] for doc in changed for row in (old_rows.get(doc), rows.get(doc)) if row and row[4]}
    recheck.update(post.docname for name in touched for post in catalog.series.get(name, ()))
    recheck.update(doc for doc in catalog.published if doc not in old or changed.intersection(old[doc].related))
    shown = {doc: entry.related for doc, entry in old.items() if doc not in recheck}
    recheck.update(catalog.related.overtaking(changed & catalog.published, shown))
    return recheck


def _shown(config: Config, catalog: _Catalog, docnames: set[str]) -> dict[str, _Shown]:
    """For each of *docnames*, what its related list and series box show of other posts."""
    result = {}
    for docname in sorted(docnames):
        series = catalog.series_of.get(docname)
        related = catalog.related(docname)
        members = [(p.docname, p.title) for p in catalog.series[series]] if series else []
        title = series_title(config, series) if series else None
        payload = json.dumps(
            [[(p.docname, p.title, p.date.isoformat()) for p in related], members, title], ensure_ascii=False
        )
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        result[docname] = _Shown(digest, tuple(p.docname for p in related))
    return result


# -- Series and related posts ------------------------------------------------


def series_slug(name: str) -> str:
    """The slug of a series' overview page, ``series/<slug>``."""
    return ablog.slugify(name)


def series_title(config: Config, name: str) -> str:
    """The displayed title of series *name* (``post_extras_series_titles``, else the name)."""
    return str(config.post_extras_series_titles.get(name, name))


def _series_members(env: BuildEnvironment, published: list[Post]) -> dict[str, list[Post]]:
    """Published posts of every series, in reading order (date, title, path)."""
    members: dict[str, list[Post]] = {}
    for post in published:
        if post.series:
            members.setdefault(post.series, []).append(post)
    for posts in members.values():
        posts.sort(key=lambda p: (p.date, p.title, p.docname))
    return dict(sorted(members.items()))


class _RelatedPosts:
    """The related posts of any published post: most shared tags (+1 for a shared category) first.

    *published* is in the site's order (newest first, then title, then path),
    which breaks ties.  Scores are counted from an index of post positions by
    tag and by category, built once, so a post is compared only with the posts
    it shares something with, and the ranking compares plain integers.  A
    post's list is computed when first asked for: an incremental build writes a
    few posts and needs only theirs.
    """

    def __init__(self, env: BuildEnvironment, published: list[Post], limit: int) -> None:
        self._posts, self._limit = post_records(env), limit
        self._candidates = list(published)
        self._position = {post.docname: index for index, post in enumerate(self._candidates)}
        self._by_tag: dict[str, list[int]] = {}
        self._by_category: dict[str, list[int]] = {}
        for index, post in enumerate(self._candidates):
            for tag in set(post.tags):
                self._by_tag.setdefault(tag, []).append(index)
            for category in set(post.categories):
                self._by_category.setdefault(category, []).append(index)
        self._found: dict[str, list[Post]] = {}

    def __call__(self, docname: str) -> list[Post]:
        if docname not in self._found:
            self._found[docname] = self._rank(docname)
        return self._found[docname]

    def _scores(self, docname: str) -> Counter[int]:
        """Score of every candidate sharing something with *docname*, by position (its own left out)."""
        me = self._posts.get(docname)
        if me is None:
            return Counter()
        scores = Counter(chain.from_iterable(self._by_tag.get(tag, ()) for tag in set(me.tags)))
        scores.update(set(chain.from_iterable(self._by_category.get(c, ()) for c in set(me.categories))))
        scores.pop(self._position.get(docname, -1), None)
        return scores

    def _score(self, docname: str, other: str) -> int:
        """Shared distinct tags, +1 for a shared category."""
        mine, theirs = self._posts[docname], self._posts[other]
        shared = len(set(mine.tags).intersection(theirs.tags))
        return shared + bool(set(mine.categories).intersection(theirs.categories))

    def overtaking(self, newcomers: set[str], shown: dict[str, tuple[str, ...]]) -> set[str]:
        """The posts of *shown* (name → the related posts it showed) whose list one of *newcomers* now enters.

        The score is symmetric, so a newcomer's own scores tell which posts it
        could appear on, and with which score.
        """
        found: set[str] = set()
        if not self._limit:
            return found
        for newcomer in newcomers:
            position = self._position.get(newcomer)
            if position is None:
                continue
            for index, score in self._scores(newcomer).items():
                docname = self._candidates[index].docname
                if docname in found or docname not in shown:
                    continue
                listed = shown[docname]
                if len(listed) < self._limit or listed[-1] not in self._position:
                    found.add(docname)
                    continue
                last = listed[-1]
                if (-score, position) < (-self._score(docname, last), self._position[last]):
                    found.add(docname)
        return found

    def _rank(self, docname: str) -> list[Post]:
        scores = self._scores(docname)
        size = len(self._candidates)
        # higher score first, then the site's order: one integer per candidate
        ranked = sorted([index - score * size for index, score in scores.items()])[: self._limit]
        return [self._candidates[key % size] for key in ranked]


@dataclass(frozen=True)
class _Catalog:
    """What post pages show of other posts, from this build's records."""

    published: frozenset[str]
    series: dict[str, list[Post]]
    series_of: dict[str, str]
    related: _RelatedPosts

    @classmethod
    def from_env(cls, env: BuildEnvironment, limit: int) -> _Catalog:
        published = published_posts(env)
        docnames = [post.docname for post in published]
        series = _series_members(env, published)
        return cls(
            published=frozenset(docnames),
            series=series,
            series_of={post.docname: name for name, members in series.items() for post in members},
            related=_RelatedPosts(env, published, limit),
        )


def _catalog(app: Sphinx) -> _Catalog:
    """This build's catalog, computed once, after reading."""
    catalog = getattr(app, "_post_extras_catalog", None)
    if catalog is None:
        catalog = app._post_extras_catalog = _Catalog.from_env(app.env, app.config.post_extras_related_count)
    return catalog


# -- Rendering ---------------------------------------------------------------


class post_extras_node(nodes.General, nodes.Element):
    """Where a post's extras go; its HTML is set at write time, it has no text."""


def _uri_maker(builder: Builder, current: str) -> Callable[[str], str]:
    def uri(target: str) -> str:
        return escape(builder.get_relative_uri(current, target), quote=True)

    return uri


def _render_header(app: Sphinx, docname: str, series: dict[str, list[Post]]) -> str:
    env, config = app.env, app.config
    post = post_records(env)[docname]
    uri = _uri_maker(app.builder, docname)
    iso = post.date.isoformat()
    category_page = config.latest_updates_category_page
    parts = [f'<time class="post-date" datetime="{iso}">{iso}</time>']
    updated = last_updated(app, docname)
    if updated is not None and updated > post.date:
        day = updated.isoformat()
        parts.append(f'<span class="post-updated">最后更新 <time datetime="{day}">{day}</time></span>')
    if post.categories:
        links = " ".join(
            f'<a class="post-category" href="{uri(category_page.format(slug=archive_slug(c)))}">{escape(c)}</a>'
            for c in post.categories
        )
        parts.append(f'<span class="post-categories">{links}</span>')
    if post.tags:
        tag_page = config.post_extras_tag_page
        links = " ".join(
            f'<a class="post-tag" href="{uri(tag_page.format(slug=archive_slug(t)))}">#{escape(t)}</a>'
            for t in post.tags
        )
        parts.append(f'<span class="post-tags">{links}</span>')
    names = author_names(config, post.authors)
    if names:
        parts.append(f'<span class="post-author">{escape("、".join(names))}</span>')
    n = minutes(post.stats, rates=config.post_extras_reading_rates)
    parts.append(f'<span class="post-reading-time" data-minutes="{n}">阅读约 {n} 分钟</span>')
    out = ['<div class="post-extras">', '<p class="post-meta">' + " · ".join(parts) + "</p>"]
    freshness = _render_freshness(post)
    if freshness:
        out.append(freshness)
    if post.series and post.series in series:
        title = series_title(config, post.series)
        out.append(_render_series_nav(uri, docname, post.series, title, series[post.series]))
    out.append("</div>")
    return "\n".join(out)


def _render_freshness(post: Post) -> str:
    """The versions the post's code was tested with and its revision history (ablog's
    ``update`` notes, linked), or ``""`` when it has neither."""
    parts = []
    if post.tested_with:
        parts.append(f'<span class="post-tested-with">测试环境：{escape(post.tested_with)}</span>')
    if post.revisions:
        links = "、".join(
            f'<a href="#{escape(anchor, quote=True)}">{escape(date or "更新")}</a>' for date, anchor in post.revisions
        )
        parts.append(f'<span class="post-revisions">修订记录：{links}</span>')
    return f'<p class="post-freshness">{" · ".join(parts)}</p>' if parts else ""


def _render_series_nav(uri, docname: str, name: str, title: str, members: list[Post]) -> str:
    position = next(i for i, p in enumerate(members, 1) if p.docname == docname)
    items = []
    for post in members:
        if post.docname == docname:
            items.append(f'<li aria-current="page"><strong>{escape(post.title)}</strong></li>')
        else:
            items.append(f'<li><a href="{uri(post.docname)}">{escape(post.title)}</a></li>')
    return (
        '<nav class="post-series" aria-label="系列">'
        f'<p class="post-series-position">「<a class="post-series-link" href="{uri(f"series/{series_slug(name)}")}">'
        f"{escape(title)}</a>」系列第 {position} 篇，共 {len(members)} 篇</p>"
        f'<ol class="post-series-list">{"".join(items)}</ol></nav>'
    )


def _render_licence(app: Sphinx, docname: str) -> str:
    """The post's licence (its ``license:``, else ``site_licence``) and, for attribution, the
    post's canonical address (when the site has a base URL)."""
    post = post_records(app.env)[docname]
    name = post.licence or getattr(app.config, "site_licence", DEFAULT_LICENCE)
    url = LICENCES.get(name)
    if url is None:
        return ""
    text = f'本文以 <a rel="license" href="{escape(url, quote=True)}">{escape(name)}</a> 许可发布'
    base = app.config.html_baseurl
    if base:
        canonical = base.rstrip("/") + "/" + app.builder.get_target_uri(docname)
        address = escape(canonical, quote=True)
        text += f'；转载请注明作者与出处：<a class="post-canonical" href="{address}">{escape(canonical)}</a>'
    return f'<p class="post-licence">{text}。</p>'


def _render_related(app: Sphinx, docname: str) -> str:
    related = _catalog(app).related(docname)
    if not related:
        return ""
    uri = _uri_maker(app.builder, docname)
    items = "".join(
        f'<li><a class="post-related-link" href="{uri(p.docname)}">{escape(p.title)}</a> '
        f'<time datetime="{p.date.isoformat()}">{p.date.isoformat()}</time></li>'
        for p in related
    )
    return f'<nav class="post-related" aria-label="相关文章"><h2>相关文章</h2><ul>{items}</ul></nav>'


def _add_draft_banner(doctree: nodes.document) -> None:
    """Put the draft banner first in the post, above its title."""
    banner = nodes.container(classes=[DRAFT_BANNER_CLASS])
    banner += nodes.paragraph(DRAFT_BANNER_TEXT, DRAFT_BANNER_TEXT)
    section = doctree.next_node(nodes.section)
    doctree.insert(doctree.index(section) if section is not None and section.parent is doctree else 0, banner)


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the header under a published post's title and related posts at its end;
    a draft, which only the preview builds, gets the draft banner instead."""
    if app.builder.format != "html":
        return
    # read with a default: a site may use this part without zhiyuan.posts.frontmatter, which declares it
    if getattr(app.config, "post_frontmatter_show_drafts", False) and is_draft(app.config, docname, app.env.metadata.get(docname, {})):
        _add_draft_banner(doctree)
        return
    if docname not in post_records(app.env):
        return
    catalog = _catalog(app)
    if docname not in catalog.published:
        return
    section = doctree.next_node(nodes.section)
    if section is None or not isinstance(section[0], nodes.title):
        return
    series = catalog.series
    header = post_extras_node(html=_render_header(app, docname, series))
    section.insert(1, header)
    licence = _render_licence(app, docname)
    if licence:
        section.append(post_extras_node(html=licence))
    related = _render_related(app, docname)
    if related:
        section.append(post_extras_node(html=related))


def render_series_page(app: Sphinx, pagename: str, name: str, members: list[Post]) -> str:
    """Body of a series overview page: the posts in reading order, with excerpts."""
    uri = _uri_maker(app.builder, pagename)
    items = []
    for post in members:
        iso = post.date.isoformat()
        n = minutes(post.stats, rates=app.config.post_extras_reading_rates)
        items.append(
            '<li class="series-entry">'
            f'<h2><a class="series-entry-title" href="{uri(post.docname)}">{escape(post.title)}</a></h2>'
            f'<p class="series-entry-meta"><time datetime="{iso}">{iso}</time> · 阅读约 {n} 分钟</p>'
            f'<p class="series-entry-excerpt">{escape(post_excerpt(app.env, post))}</p>'
            "</li>"
        )
    return (
        f'<section class="series-overview"><h1>系列：{escape(series_title(app.config, name))}</h1>'
        f'<p class="series-count">共 {len(members)} 篇，建议按顺序阅读。</p>'
        f'<ol class="series-entries">{"".join(items)}</ol></section>'
    )


def _on_html_collect_pages(app: Sphinx):
    """Generate an overview page per series (those whose content or site changed)."""
    if app.builder.format != "html":
        return
    cache = page_cache(app, "post_extras")
    if cache.unchanged():
        cache.keep_all()
        return
    for name, members in _catalog(app).series.items():
        pagename = f"series/{series_slug(name)}"
        if pagename in app.env.found_docs:
            logger.warning(
                "page %r has the name of a series overview page; the overview is not written",
                pagename,
                type="post_extras",
                subtype="series",
                location=pagename,
            )
            continue
        context = {
            "title": escape(f"系列：{series_title(app.config, name)}"),
            "body": render_series_page(app, pagename, name, members),
        }
        if not cache.keep(pagename, cache.fingerprint(pagename, "page.html", context)):
            yield pagename, context, "page.html"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.pages.latest_updates")
    app.setup_extension("zhiyuan.pages.generated")
    app.setup_extension("zhiyuan.pages.last_updated")
    declare(app, "zhiyuan.pages.post_extras")
    app.add_css_file("post_extras.css")
    add_html_node(app, post_extras_node)
    serve_static(app, _STATIC)
    app.connect("env-get-updated", _on_env_get_updated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("html-collect-pages", _on_html_collect_pages)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
