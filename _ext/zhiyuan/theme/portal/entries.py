"""One post's entry on an ablog archive or catalog page, and its card, rendered in Python.

ablog's archive pages (the full listing, each year, category, tag and author)
list every post with its card and excerpt, so at a thousand posts a clean build
renders some seven thousand entries, and a new post rewrites thousands of them.
Through Jinja's sandbox (a macro call and an attribute check per field) that
was most of those pages' cost.  ``collection.html`` calls
:func:`render_entry` instead, through the ``ablog_entries`` function the page
context offers (which keeps each page's list between builds,
``entries_cache.py``), ``catalog.html`` (posts by category, tag, year) calls
:func:`render_catalog_item` through ``ablog_catalog_items`` (the same, per
category, tag or year), and the sidebar's
postcard (``postcard2.html``) the same card items as the entries,
:func:`render_card_items` through ``ablog_card_items``; the templates keep
the translated labels, so the wording stays in the template layer.  Everything
that came from an article is escaped.

The renderers read a post only through its :class:`EntryView`, which is also what
``entries_cache.py`` digests to know whether a kept entry is still current: an entry
and its fingerprint come from the same object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

#: The collections of a post an entry's card lists, in order.
COLLECTIONS = ("author", "location", "language", "category", "tags")


@dataclass(frozen=True)
class Named:
    """A collection (author, category, tag …) as a card names it."""

    name: str
    docname: str
    has_posts: bool  # linked only then


@dataclass(frozen=True)
class EntryView:
    """Everything an entry, a catalog item or a card shows of one of ablog's posts."""

    docname: str
    section: str
    external_link: str
    title: str
    date: dt.datetime | None
    update: dt.datetime | None
    published: bool
    collections: tuple[tuple[Named, ...], ...]  # in the order of COLLECTIONS
    summary: str = ""

    def collection(self, field: str) -> tuple[Named, ...]:
        return self.collections[COLLECTIONS.index(field)]

    def linked_pages(self) -> frozenset[str]:
        """The pages the card links to."""
        return frozenset(named.docname for names in self.collections for named in names)


def entry_view(post: Any, summary: str = "") -> EntryView:
    """The view of one of ablog's ``Post`` objects (with its *summary*, where the entry shows one)."""
    return EntryView(
        docname=post.docname, section=post.section or "", external_link=post.external_link or "",
        title=str(post.title), date=post.date, update=post.update, published=bool(post.published),
        collections=tuple(
            tuple(Named(str(c.name), c.docname, len(c) > 0) for c in getattr(post, field) or ())
            for field in COLLECTIONS
        ),
        summary=summary,
    )


def _links(collections: tuple[Named, ...], pathto: Callable[[str], str]) -> str:
    return ", ".join(
        f'<a href="{escape(pathto(c.docname), quote=True)}">{escape(c.name)}</a>' if c.has_posts else escape(c.name)
        for c in collections
    )


def _postlink(post: EntryView, pathto: Callable[[str], str]) -> str:
    if post.external_link:
        return escape(post.external_link, quote=True)
    return escape(pathto(post.docname) + (f"#{post.section}" if post.section else ""), quote=True)


def _date(post: EntryView, labels: Mapping[str, str], date_format: str) -> str:
    if post.date:
        return f'<time datetime="{post.date.strftime("%Y-%m-%d")}">{escape(post.date.strftime(date_format))}</time>'
    return escape(labels["draft"])


def render_catalog_item(
    post: EntryView, *, pathto: Callable[[str], str], labels: Mapping[str, str], date_format: str
) -> Markup:
    """The ``<li class="ablog__catalog_post">`` of *post* on a catalog page: date and linked title.

    *labels* holds the translated ``draft``.
    """
    return Markup(
        f'<li class="ablog__catalog_post">{_date(post, labels, date_format)} - '
        f'<a href="{_postlink(post, pathto)}">{escape(post.title)}</a></li>'
    )


def render_card_items(
    post: EntryView, *, pathto: Callable[[str], str], labels: Mapping[str, str], date_format: str
) -> Markup:
    """The ``<li>`` items of *post*'s card after its date: update, authors, locations, languages,
    categories, tags (the sidebar's postcard and every archive entry show them).

    *labels* are the translated ``update``, ``author``, ``location``, ``language``,
    ``category``, ``tag`` and ``tags``.
    """
    items = []
    if post.published and post.date != post.update:
        items.append(f'<li class="ablog__updated">{escape(labels["update"])}: '
                     f"{escape(post.update.strftime(date_format))}</li>")
    for field in COLLECTIONS:
        css, values = field, post.collection(field)
        if values:
            label = labels[field] if field != "tags" else labels["tags" if len(values) > 1 else "tag"]
            items.append(f'<li class="ablog__{css}">{escape(label)}: {_links(values, pathto)}</li>')
    return Markup("".join(items))


def render_entry(
    post: EntryView,
    *,
    pathto: Callable[[str], str],
    labels: Mapping[str, str],
    date_format: str,
) -> Markup:
    """The ``<div class="ablog-post">`` of *post*: title, date, card items, excerpt (its summary), link.

    *labels* are the translated ``draft``, ``more`` and those of :func:`render_card_items`.
    """
    link = _postlink(post, pathto)
    card = render_card_items(post, pathto=pathto, labels=labels, date_format=date_format)
    items = f"<li>{_date(post, labels, date_format)}</li>{card}"
    excerpt = f'<p class="ablog-post-excerpt">{escape(post.summary)}</p>' if post.summary else ""
    return Markup(
        '<div class="section ablog-post">'
        f'<h2 class="ablog-post-title"><a href="{link}">{escape(post.title)}</a></h2>'
        f'<ul class="ablog-archive ablog__postcard2">{items}</ul>'
        f"{excerpt}"
        f'<p class="ablog-post-expand"><a href="{link}"><em>{escape(labels["more"])}</em></a></p>'
        "</div>"
    )
