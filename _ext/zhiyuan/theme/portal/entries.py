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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from markupsafe import Markup


def _links(collections: list[Any], pathto: Callable[[str], str]) -> str:
    return ", ".join(
        f'<a href="{escape(pathto(c.docname), quote=True)}">{escape(str(c.name))}</a>' if len(c) else escape(str(c.name))
        for c in collections
    )


def _postlink(post: Any, pathto: Callable[[str], str]) -> str:
    if post.external_link:
        return escape(post.external_link, quote=True)
    return escape(pathto(post.docname) + (f"#{post.section}" if post.section else ""), quote=True)


def _date(post: Any, labels: Mapping[str, str], date_format: str) -> str:
    if post.date:
        return f'<time datetime="{post.date.strftime("%Y-%m-%d")}">{escape(post.date.strftime(date_format))}</time>'
    return escape(labels["draft"])


def render_catalog_item(
    post: Any, *, pathto: Callable[[str], str], labels: Mapping[str, str], date_format: str
) -> Markup:
    """The ``<li class="ablog__catalog_post">`` of *post* on a catalog page: date and linked title.

    *labels* holds the translated ``draft``.
    """
    return Markup(
        f'<li class="ablog__catalog_post">{_date(post, labels, date_format)} - '
        f'<a href="{_postlink(post, pathto)}">{escape(post.title)}</a></li>'
    )


def render_card_items(
    post: Any, *, pathto: Callable[[str], str], labels: Mapping[str, str], date_format: str
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
    for field, css in (("author", "author"), ("location", "location"), ("language", "language"),
                       ("category", "category"), ("tags", "tags")):
        values = getattr(post, field)
        if values:
            label = labels[field] if field != "tags" else labels["tags" if len(values) > 1 else "tag"]
            items.append(f'<li class="ablog__{css}">{escape(label)}: {_links(values, pathto)}</li>')
    return Markup("".join(items))


def render_entry(
    post: Any,
    *,
    pathto: Callable[[str], str],
    summary: str,
    labels: Mapping[str, str],
    date_format: str,
) -> Markup:
    """The ``<div class="ablog-post">`` of *post*: title, date, card items, excerpt, link.

    *labels* are the translated ``draft``, ``more`` and those of :func:`render_card_items`.
    """
    link = _postlink(post, pathto)
    card = render_card_items(post, pathto=pathto, labels=labels, date_format=date_format)
    items = f"<li>{_date(post, labels, date_format)}</li>{card}"
    excerpt = f'<p class="ablog-post-excerpt">{escape(summary)}</p>' if summary else ""
    return Markup(
        '<div class="section ablog-post">'
        f'<h2 class="ablog-post-title"><a href="{link}">{escape(post.title)}</a></h2>'
        f'<ul class="ablog-archive ablog__postcard2">{items}</ul>'
        f"{excerpt}"
        f'<p class="ablog-post-expand"><a href="{link}"><em>{escape(labels["more"])}</em></a></p>'
        "</div>"
    )
