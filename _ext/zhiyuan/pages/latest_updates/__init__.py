"""The home page's LATEST UPDATES index: newest posts with plain-text excerpts.

The posts are the records of :mod:`zhiyuan.posts.model` (title, date, categories,
excerpt tokens …, never a doctree).  Where the indexes are is kept on the environment,
purged and merged per document, so parallel reads are safe.

The ``latest-updates`` directive marks where the index goes.  Entries are
rendered at write time, when every title is known: page 1 replaces the
directive, pages 2…n are generated pages ``<docname>-page-<n>``; a page holding
an index (or the ``post-archive``) is written again, not read again, when what
it shows of the posts changed.  HTML contract::

    <section class="latest-updates">
      <article class="latest-update">
        <img class="latest-update-cover" src="…/_images/covers/…" width="…" height="…" alt="…"
             loading="lazy" decoding="async">                 (posts with a ``cover:``)
        <h3><a class="latest-update-title" href="…">title</a></h3>   (one level below the
            directive's section: h3 under an h2; h2 on pages 2…n, under their h1)
        <p class="latest-update-meta"><a class="latest-update-category" href="…">…</a>
           <time class="latest-update-date" datetime="YYYY-MM-DD">YYYY-MM-DD</time></p>
        <p class="latest-update-excerpt">…</p>
      </article>
      …
    </section>
    <nav class="latest-updates-pager">… rel="prev" … rel="next" …</nav>

The same excerpt becomes each post's ``<meta name="description">`` unless the
post sets its own.  A post's cover (front matter ``cover:``, :mod:`zhiyuan.pages.covers`) is a
small image beside its entry, at most 160×120 CSS pixels with its own proportions, its
alternative text the front matter's ``cover_alt`` or else the post's title.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from zhiyuan import caches, state
from zhiyuan.config import declare
from zhiyuan.pages.archive_slugs import archive_slug
from zhiyuan.pages.covers import cover_path
from zhiyuan.pages.generated import digest, page_cache
from zhiyuan.posts.excerpt import render_excerpt
from zhiyuan.posts.model import Post, post_records, published_posts

from .excerpt_cache import ExcerptCache

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)



# -- Records -----------------------------------------------------------------


@dataclass(frozen=True)
class IndexOptions:
    """Options of one ``latest-updates`` directive."""

    per_page: int | None = None
    category: str | None = None


def _indexes(env: BuildEnvironment) -> dict[str, IndexOptions]:
    """The options of the index on each page that has one."""
    return state.per_document(env, "latest_updates.indexes")


def _archives(env: BuildEnvironment) -> dict[str, bool]:
    """The pages that hold the ``post-archive``."""
    return state.per_document(env, "latest_updates.archives")


def shown_entries(env: BuildEnvironment, page: _Page) -> list[Any]:
    """What a page of an index shows of its posts, cheaper than rendering it to compare."""
    return [(p.docname, p.title, p.date.isoformat(), p.categories, p.pinned, p.cover, excerpt_inputs(env, p))
            for p in page.entries]


def shown_posts(env: BuildEnvironment, docname: str) -> str:
    """A digest of what the index or archive on *docname* shows of the posts.

    Both are filled in at write time (:func:`_on_doctree_resolved`), so a page whose
    digest changed is written again, not read again.
    """
    shown: list[Any] = []
    if docname in _indexes(env):
        first = _pages(env, _indexes(env)[docname])[0]
        shown.append([first.count, shown_entries(env, first)])
    if docname in _archives(env):
        shown.append([(p.docname, p.title, p.date.isoformat()) for p in published_posts(env)])
    return digest(shown)


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages holding an index or the archive whose posts, as shown, changed (a post came,
    went, was retitled, or was published by the date)."""
    before = state.site_value(env, "latest_updates.shown", {})
    now = {doc: shown_posts(env, doc) for doc in sorted(set(_indexes(env)) | set(_archives(env)))}
    state.set_site_value(env, "latest_updates.shown", now)
    return [doc for doc, value in now.items() if before.get(doc) != value]


# -- The directive -----------------------------------------------------------


class latest_updates_node(nodes.General, nodes.Element):
    """Where an index goes; filled in at write time, carries no text of its own."""


class LatestUpdatesDirective(SphinxDirective):
    """``latest-updates``: the newest posts with excerpts, paginated."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "per-page": directives.positive_int,
        "category": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        if self.env.docname in _indexes(self.env):
            logger.warning(
                "only one latest-updates index per page; this one is ignored",
                type="latest_updates",
                subtype="duplicate",
                location=self.get_location(),
            )
            return []
        options = IndexOptions(
            per_page=self.options.get("per-page"), category=self.options.get("category")
        )
        _indexes(self.env)[self.env.docname] = options
        node = latest_updates_node()
        self.set_source_info(node)
        return [node]


class post_archive_node(nodes.General, nodes.Element):
    """Where the archive by year and month goes; filled in at write time."""


class PostArchiveDirective(SphinxDirective):
    """``post-archive``: every published post, grouped by year and month, with counts."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        _archives(self.env)[self.env.docname] = True
        node = post_archive_node()
        self.set_source_info(node)
        return [node]


# -- Rendering ---------------------------------------------------------------


@dataclass
class _Page:
    number: int
    count: int
    entries: list[Post] = field(default_factory=list)


def pinned_first(posts: list[Post], most: int) -> list[Post]:
    """*posts* (newest first) with the newest *most* pinned ones moved to the top, in their order."""
    pinned = [post for post in posts if post.pinned][:most]
    return [*pinned, *(post for post in posts if post not in pinned)]


def _pages(env: BuildEnvironment, options: IndexOptions) -> list[_Page]:
    per_page = options.per_page or env.config.latest_updates_per_page
    posts = pinned_first(published_posts(env, options.category), env.config.latest_updates_max_pinned)
    count = max(1, -(-len(posts) // per_page))
    return [
        _Page(number, count, posts[(number - 1) * per_page : number * per_page])
        for number in range(1, count + 1)
    ]


def page_name(docname: str, number: int) -> str:
    """The page name of page *number* of the index held by *docname*."""
    return docname if number == 1 else f"{docname}-page-{number}"


# Excerpts looked up this build, per environment: a post's excerpt is shown on
# the home index, its archive pages, its meta tags and the feeds.  Emptied once
# all documents are read (titles and labels the excerpts resolve may change).
_EXCERPTS: WeakKeyDictionary[BuildEnvironment, dict[Post, str]] = WeakKeyDictionary()
# Excerpts rendered by earlier builds (excerpt_cache.py)
_EXCERPT_CACHES: WeakKeyDictionary[BuildEnvironment, ExcerptCache] = WeakKeyDictionary()
_EXCERPT_CACHE_FILE = "latest_updates_excerpts.pickle"


def _excerpt_cache(env: BuildEnvironment) -> ExcerptCache:
    if env not in _EXCERPT_CACHES:
        _EXCERPT_CACHES[env] = ExcerptCache(caches.path(env.doctreedir, _EXCERPT_CACHE_FILE))
    return _EXCERPT_CACHES[env]


# the code that renders excerpts is an input too: a changed excerpt.py renders anew
_EXCERPT_CODE = hashlib.sha256(Path(render_excerpt.__code__.co_filename).read_bytes()).hexdigest()


def _excerpt_key(env: BuildEnvironment, post: Post) -> str:
    config = env.config
    inputs = [excerpt_inputs(env, post), config.latest_updates_excerpt_length, config.latest_updates_placeholders,
              _EXCERPT_CODE]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()


def post_excerpt(env: BuildEnvironment, post: Post) -> str:
    """The post's excerpt as plain text (unescaped)."""
    if post.excerpt_override is not None:
        return post.excerpt_override
    looked_up = _EXCERPTS.setdefault(env, {})
    if post not in looked_up:
        looked_up[post] = _excerpt_cache(env).get(_excerpt_key(env, post), lambda: _render_post_excerpt(env, post))
    return looked_up[post]


def _resolver(env: BuildEnvironment) -> Callable[[str, str], str | None]:
    """The display text of an excerpt's cross-reference: its target's title."""
    std = env.domains.standard_domain

    def resolve(kind: str, target: str) -> str | None:
        if kind == "doc":
            return env.titles[target].astext() if target in env.titles else None
        label = std.labels.get(target)
        return label[2] if label and label[2] else None

    return resolve


def _render_post_excerpt(env: BuildEnvironment, post: Post) -> str:
    return render_excerpt(
        list(post.tokens),
        limit=env.config.latest_updates_excerpt_length,
        placeholders=env.config.latest_updates_placeholders,
        resolve=_resolver(env),
    )


def excerpt_inputs(env: BuildEnvironment, post: Post) -> Any:
    """What the post's excerpt is rendered from (its tokens, the titles its references show),
    cheaper to compare than the excerpt is to render."""
    if post.excerpt_override is not None:
        return post.excerpt_override
    resolve = _resolver(env)
    references = [resolve(*token) for token in post.tokens if not isinstance(token, str) and token[0] != "placeholder"]
    return [post.tokens, references]


def heading_level(node: nodes.Node) -> int:
    """Level of headings directly inside *node*'s section (h2…h6), so none is skipped."""
    depth = 0
    parent = node.parent
    while parent is not None:
        depth += isinstance(parent, nodes.section)
        parent = parent.parent
    return min(max(depth + 1, 2), 6)


#: the box a cover is shown in beside its entry, in CSS pixels
COVER_BOX = (160, 120)


def cover_size(width: int, height: int) -> tuple[int, int]:
    """A cover of *width* × *height* pixels scaled to fit :data:`COVER_BOX`, proportions kept."""
    scale = min(COVER_BOX[0] / width, COVER_BOX[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _render_cover(builder: Builder, current: str, post: Post) -> str:
    if post.cover is None:
        return ""
    src = relative_uri(builder.get_target_uri(current), cover_path(post.cover))
    width, height = cover_size(post.cover.width, post.cover.height)
    return (f'<img class="latest-update-cover" src="{escape(src, quote=True)}" width="{width}" height="{height}" '
            f'alt="{escape(post.cover.alt, quote=True)}" loading="lazy" decoding="async" />')


def render_index(builder: Builder, current: str, index_doc: str, page: _Page, level: int = 3) -> str:
    """HTML of one page of an index, as seen from page *current*; everything escaped.

    Entry titles are ``<h{level}>`` headings.
    """
    env = builder.env
    category_page = env.config.latest_updates_category_page

    def uri(target: str) -> str:
        return escape(builder.get_relative_uri(current, target), quote=True)

    pinned = {post.docname for post in page.entries[: env.config.latest_updates_max_pinned] if post.pinned}
    out = ['<section class="latest-updates">']
    for post in page.entries:
        iso = post.date.isoformat()
        mark = '<span class="latest-update-pinned">置顶</span> ' if page.number == 1 and post.docname in pinned else ""
        categories = " ".join(
            f'<a class="latest-update-category" href="{uri(category_page.format(slug=archive_slug(c)))}">'
            f"{escape(c)}</a>"
            for c in post.categories
        )
        out.append(
            '<article class="latest-update">'
            f"{_render_cover(builder, current, post)}"
            f'<h{level}><a class="latest-update-title" href="{uri(post.docname)}">{escape(post.title)}</a></h{level}>'
            f'<p class="latest-update-meta">{mark}{categories} '
            f'<time class="latest-update-date" datetime="{iso}">{iso}</time></p>'
            f'<p class="latest-update-excerpt">{escape(post_excerpt(env, post))}</p>'
            "</article>"
        )
    if not page.entries:
        out.append('<p class="latest-updates-empty">暂无文章。</p>')
    out.append("</section>")
    if page.count > 1:
        out.append(_render_pager(uri, index_doc, page))
    return "\n".join(out)


# Numbered links shown on each side of the current page; the first and the last page are always linked.
_PAGER_REACH = 2


def pager_numbers(current: int, count: int) -> list[int | None]:
    """The page numbers a pager shows, ``None`` where it skips some: 1 … 4 5 [6] 7 8 … 100."""
    shown = sorted({1, count, *range(max(1, current - _PAGER_REACH), min(count, current + _PAGER_REACH) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] == 2:  # a gap of one page: link it rather than elide it
            numbers.append(number - 1)
        elif numbers and number - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _render_pager(uri, index_doc: str, page: _Page) -> str:
    links = []
    if page.number > 1:
        links.append(
            f'<a class="latest-updates-prev" rel="prev" href="{uri(page_name(index_doc, page.number - 1))}">上一页</a>'
        )
    for number in pager_numbers(page.number, page.count):
        if number is None:
            links.append('<span class="latest-updates-gap">…</span>')
        elif number == page.number:
            links.append(f'<span class="latest-updates-current" aria-current="page">{number}</span>')
        else:
            links.append(f'<a href="{uri(page_name(index_doc, number))}">{number}</a>')
    if page.number < page.count:
        links.append(
            f'<a class="latest-updates-next" rel="next" href="{uri(page_name(index_doc, page.number + 1))}">下一页</a>'
        )
    return '<nav class="latest-updates-pager" aria-label="分页">' + " ".join(links) + "</nav>"


def render_archive(builder: Builder, current: str, level: int = 3) -> str:
    """HTML of the archive: years, then months, newest first, each with its count.

    Years are ``<h{level}>`` headings, months one level below.
    """
    month_level = min(level + 1, 6)
    env = builder.env
    by_month: dict[tuple[int, int], list[Post]] = {}
    for post in published_posts(env):
        by_month.setdefault((post.date.year, post.date.month), []).append(post)
    out = ['<section class="post-archive">']
    for year in sorted({year for year, _ in by_month}, reverse=True):
        months = sorted((m for y, m in by_month if y == year), reverse=True)
        total = sum(len(by_month[year, m]) for m in months)
        out.append(
            f'<section class="post-archive-year" id="archive-{year}">'
            f'<h{level}>{year} 年 <span class="post-archive-count">（{total} 篇）</span></h{level}>'
        )
        for month in months:
            posts = by_month[year, month]
            out.append(
                f'<section class="post-archive-month" id="archive-{year}-{month:02d}">'
                f'<h{month_level}>{year} 年 {month} 月 <span class="post-archive-count">（{len(posts)} 篇）</span>'
                f"</h{month_level}><ul>"
            )
            for post in posts:
                href = escape(builder.get_relative_uri(current, post.docname), quote=True)
                iso = post.date.isoformat()
                out.append(
                    f'<li><time datetime="{iso}">{iso}</time> '
                    f'<a class="post-archive-title" href="{href}">{escape(post.title)}</a></li>'
                )
            out.append("</ul></section>")
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Forget the excerpts of the last build: what they resolve (titles, labels) may have changed.
    Say which pinned posts an index cannot keep at its top."""
    _EXCERPTS.pop(env, None)
    most = app.config.latest_updates_max_pinned
    pinned = [post for post in published_posts(env) if post.pinned]
    for post in pinned[most:]:
        logger.warning(
            "%d posts are pinned; LATEST UPDATES keeps the newest %d at its top "
            "(latest_updates_max_pinned in conf.py), so this one is listed by its date",
            len(pinned), most, type="latest_updates", subtype="pinned", location=post.docname,
        )


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Keep this build's new excerpts, and those of the other current posts, for the next one."""
    cache = _EXCERPT_CACHES.get(app.env)
    if cache is not None and exception is None:
        posts = [post for post in post_records(app.env).values() if post.excerpt_override is None]
        cache.save(lambda: (_excerpt_key(app.env, post) for post in posts))


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each index node the HTML of its first page."""
    for node in list(doctree.findall(latest_updates_node)):
        if app.builder.format != "html":
            node.parent.remove(node)
            continue
        options = _indexes(app.env).get(docname, IndexOptions())
        first = _pages(app.env, options)[0]
        node["html"] = render_index(app.builder, docname, docname, first, level=heading_level(node))
    for node in list(doctree.findall(post_archive_node)):
        if app.builder.format != "html":
            node.parent.remove(node)
            continue
        node["html"] = render_archive(app.builder, docname, level=heading_level(node))


def _visit_html(self, node: nodes.Element) -> None:
    self.body.append(node.get("html", ""))
    raise nodes.SkipNode


def _skip(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def add_html_node(app: Sphinx, node_class: type[nodes.Element]) -> None:
    """Register a node whose ``html`` attribute is written as is, and that other formats skip."""
    app.add_node(
        node_class,
        html=(_visit_html, None),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )


def _on_html_collect_pages(app: Sphinx):
    """Generate pages 2…n of every index (those whose content or site changed)."""
    if app.builder.format != "html":
        return
    cache = page_cache(app, "latest_updates")
    if cache.unchanged():
        cache.keep_all()
        return
    for index_doc, options in sorted(_indexes(app.env).items()):
        title = app.env.titles[index_doc].astext() if index_doc in app.env.titles else ""
        for page in _pages(app.env, options)[1:]:
            pagename = page_name(index_doc, page.number)
            shown = shown_entries(app.env, page)
            if cache.keep(pagename, cache.fingerprint(pagename, "page.html", title, page.number, page.count, shown)):
                continue
            body = render_index(app.builder, pagename, index_doc, page, level=2)  # under the <h1>
            context = {
                "title": escape(f"{title} · 第 {page.number} 页"),
                "body": f'<h1>{escape(app.config.latest_updates_title)}</h1>\n{body}',
            }
            yield pagename, context, "page.html"


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give posts a meta description, and templates the excerpt of any post."""
    env = app.env

    def summary(post: Any) -> str:
        record = post_records(env).get(getattr(post, "docname", post))
        return post_excerpt(env, record) if record else ""

    context["post_summary"] = summary
    record = post_records(env).get(pagename)
    if record is None or 'name="description"' in context.get("metatags", ""):
        return
    description = escape(post_excerpt(env, record), quote=True)
    context["metatags"] = context.get("metatags", "") + f'\n    <meta name="description" content="{description}" />'


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.caches")
    declare(app, "zhiyuan.pages.latest_updates")
    app.setup_extension("zhiyuan.posts.model")
    app.setup_extension("zhiyuan.pages.archive_slugs")  # the category pages the index links to
    app.setup_extension("zhiyuan.pages.covers")  # the covers the index shows, in the output
    app.setup_extension("zhiyuan.pages.generated")
    add_html_node(app, latest_updates_node)
    app.add_directive("latest-updates", LatestUpdatesDirective)
    add_html_node(app, post_archive_node)
    app.add_directive("post-archive", PostArchiveDirective)
    app.connect("env-updated", _on_env_updated)
    app.connect("env-get-updated", _on_env_get_updated)
    app.connect("build-finished", _on_build_finished)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("html-collect-pages", _on_html_collect_pages)
    app.connect("html-page-context", _on_html_page_context)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
