"""One record per post: :class:`Post`, made once when the post is read.

A post is a document matching ``latest_updates_post_pattern`` with a ``date`` in its
front matter and a title.  When it is read, one immutable :class:`Post` is made of its
front matter (already checked by :mod:`zhiyuan.posts.frontmatter`; dates, lists and
names read by :mod:`zhiyuan.posts.fields`; its cover image's size and digest), its title,
its excerpt tokens and its reading statistics, and kept in the environment's store
(:mod:`zhiyuan.state`) — never its doctree.  The home index, the archives, the post meta
line, series, related posts, feeds, social meta and structured data all read
these records (:func:`post_records`, :func:`published_posts`); nothing else reads a
post's metadata.  The store purges and merges records per document, so parallel reads are
safe.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from zhiyuan import state
from zhiyuan.compat import ablog
from zhiyuan.config import declare
from zhiyuan.pages.figures.sizes import image_size
from zhiyuan.posts import schema
from zhiyuan.posts.excerpt import Token, collect_tokens
from zhiyuan.posts.fields import (
    cover_path,
    is_published,
    local_datetime,
    post_date,
    site_timezone,
    split_list,
)
from zhiyuan.posts.reading_time import ReadingStats, count

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

_EXCERPT_FIELD = "zhiyuan_excerpt"


@dataclass(frozen=True)
class Cover:
    """A post's cover image (front matter ``cover``): where its file is and what it shows."""

    #: the file, relative to the source folder (``/``-separated)
    path: str
    #: the alternative text: ``cover_alt``, else the post's title
    alt: str
    width: int
    height: int
    #: SHA-256 of the file: its name in the output, so a changed picture gets a new address
    digest: str


@dataclass(frozen=True)
class Post:
    """What the site shows of one post: a few strings and numbers, never a doctree."""

    docname: str
    title: str
    date: dt.date
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    series: str | None = None
    #: the front matter's ``date`` with its time of day, naive, in the site's time zone (UTC
    #: where none is set up); the feeds' publication time
    time: dt.datetime | None = None
    excerpt_override: str | None = None
    tokens: tuple[Token, ...] = ()
    stats: ReadingStats = ReadingStats()
    #: the front matter's ``tested_with``: the versions its code was checked with, as written
    tested_with: str | None = None
    #: the front matter's ``pinned: true``: kept at the top of the LATEST UPDATES indexes
    pinned: bool = False
    #: the front matter's ``license``, when the post is not under the site's licence
    licence: str | None = None
    #: ablog's ``update`` notes, in the post's order: each note's date (ISO where it is one)
    #: and the id it is linked by
    revisions: tuple[tuple[str, str], ...] = ()
    #: the front matter's ``cover``, when it names an image file that can be read
    cover: Cover | None = None

    def sort_key(self) -> tuple:
        """Newest first, then by title, then by path."""
        return (-self.date.toordinal(), self.title, self.docname)


def post_records(env: BuildEnvironment) -> dict[str, Post]:
    """The record of every post read, published or not, by docname."""
    return state.per_document(env, "posts")


def published_posts(env: BuildEnvironment, category: str | None = None) -> list[Post]:
    """Published posts (of *category*, if given), newest first."""
    posts = [
        post
        for post in post_records(env).values()
        if is_published(post.date, env.config) and (category is None or category in post.categories)
    ]
    return sorted(posts, key=Post.sort_key)


def is_post(config: Config, docname: str, metadata: dict[str, Any]) -> bool:
    """Whether *docname* is a post: it matches the post pattern and has a ``date``."""
    return "date" in metadata and any(
        fnmatch.fnmatch(docname, pattern) for pattern in config.latest_updates_post_pattern
    )


# -- Reading -----------------------------------------------------------------


class ExcerptFieldTransform(SphinxTransform):
    """Take a post's front-matter ``excerpt:`` out of the docinfo.

    ablog reads ``excerpt`` as a number of paragraphs (and fails on text), so the
    field is moved aside before ablog's front-matter transform (priority 800).
    """

    default_priority = 795

    def apply(self, **kwargs: Any) -> None:
        for docinfo in self.document.findall(nodes.docinfo):
            for fld in list(docinfo.findall(nodes.field)):
                if fld[0].astext() == "excerpt":
                    self.document[_EXCERPT_FIELD] = fld[1].astext().strip()
                    fld.parent.remove(fld)


def _series(value: Any, docname: str) -> str | None:
    series = str(value or "").strip() or None
    if series is not None and not ablog.slugify(series):
        logger.warning(
            "series name %r has no letters or digits for a URL; the post is left out of it",
            series,
            type="post_extras",
            subtype="series",
            location=docname,
        )
        return None
    return series


def _time(value: Any, config: Config) -> dt.datetime | None:
    try:
        return local_datetime(value, site_timezone(config) or ZoneInfo("UTC"))
    except ValueError:
        return None


def _tested_with(value: Any) -> str | None:
    """``tested_with`` as readers see it: text as written, a YAML list joined by commas."""
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith(("[", "{")):  # a YAML list (JSON in the metadata); a mapping is warned about
        items = split_list(text) if text.startswith("[") else ()
        text = ", ".join(items)
    return text or None


def _licence(value: Any) -> str | None:
    """``license`` when it names a licence the site knows (another one is warned about and the
    site's applies)."""
    name = str(value).strip() if value is not None else ""
    return name if name in schema.LICENCES else None


def _cover(app: Sphinx, docname: str, metadata: dict[str, Any], title: str) -> Cover | None:
    """The post's cover, if its ``cover`` names an image that can be read (any other is warned
    about by :mod:`zhiyuan.posts.frontmatter`); a change to the file reads the post again."""
    value = metadata.get(schema.COVER)
    if value is None:
        return None
    path = cover_path(value, app.env.doc2path(docname, base=False).as_posix())
    file = app.env.srcdir / path
    if schema.cover_problem(str(value), file) is not None:
        return None
    size = image_size(file)
    if size is None:
        return None
    app.env.note_dependency(str(file))
    alt = str(metadata.get(schema.COVER_ALT) or "").strip() or title
    return Cover(path, alt, size[0], size[1], hashlib.sha256(file.read_bytes()).hexdigest())


def _revisions(doctree: nodes.document, config: Config) -> tuple[tuple[str, str], ...]:
    """ablog's ``update`` notes of the post: date and id of each (an id is given where it has none)."""
    found = []
    for written, note in ablog.update_notes(doctree):
        date = post_date(written, config)
        text = date.isoformat() if date else written
        if not note["ids"]:
            base = f"update-{text}" if text else "update"
            anchor, n = base, 1
            while anchor in doctree.ids:
                n += 1
                anchor = f"{base}-{n}"
            note["ids"].append(anchor)
            doctree.ids[anchor] = note
        found.append((text, note["ids"][0]))
    return tuple(found)


def read_post(app: Sphinx, docname: str, doctree: nodes.document) -> Post | None:
    """The record of *docname*, or None if it is not a post (or one the site cannot list)."""
    env, config = app.env, app.config
    metadata = env.metadata.get(docname, {})
    if not is_post(config, docname, metadata):
        return None
    date = post_date(metadata["date"], config)
    if date is None:
        logger.warning(
            "date %r of post is not an ISO date; it is left out of the latest updates",
            str(metadata["date"]),
            type="latest_updates",
            subtype="date",
            location=docname,
        )
        return None
    section = doctree.next_node(nodes.section)
    if section is None or not section[0].astext().strip():
        # no title to show (Sphinx would say "<no title>"); ablog cannot list
        # such a post either, and the body checks warn about it
        return None
    title = env.titles[docname].astext() if docname in env.titles else docname
    return Post(
        docname=docname,
        title=title,
        date=date,
        categories=split_list(metadata.get("category", "")),
        tags=split_list(metadata.get("tags", "")),
        authors=split_list(metadata.get("author", "")),
        series=_series(metadata.get("series"), docname),
        time=_time(metadata.get("date"), config),
        excerpt_override=doctree.get(_EXCERPT_FIELD),
        tokens=tuple(collect_tokens(doctree, limit=config.latest_updates_excerpt_length)),
        stats=count(doctree),
        tested_with=_tested_with(metadata.get(schema.TESTED_WITH)),
        licence=_licence(metadata.get(schema.LICENSE)),
        pinned=str(metadata.get(schema.PINNED, "")).strip().lower() == "true",
        revisions=_revisions(doctree, config),
        cover=_cover(app, docname, metadata, title),
    )


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Keep the record of each post that is read."""
    post = read_post(app, app.env.docname, doctree)
    if post is not None:
        post_records(app.env)[post.docname] = post


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    declare(app, "zhiyuan.posts.model")
    app.add_transform(ExcerptFieldTransform)
    app.connect("doctree-read", _on_doctree_read)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
