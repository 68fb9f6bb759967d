"""RSS 2.0 and JSON Feed 1.1 for the whole site, advertised in every page head.

ablog writes the Atom feeds (``blog/atom.xml`` and one per category, tag and
year).  This extension adds two site-wide feeds beside the site's Atom feed,
built from ``latest_updates``' post records, newest first:

* ``blog/rss.xml`` — RSS 2.0, written with feedgen (which ablog uses for Atom);
* ``blog/feed.json`` — JSON Feed 1.1.

Each item has the post's absolute URL, title, publication date, categories and
tags, and the post's excerpt (the one on the home page) as its summary.
Everything that came from an article is escaped: RSS readers (feedparser among
them) read an item's ``<title>`` and ``<description>`` as HTML, so those are
HTML-escaped text (then XML-escaped by feedgen); JSON Feed's ``title``,
``summary`` and ``content_text`` are plain text, escaped by :func:`json.dumps`.

Every HTML page gets ``<link rel="alternate">`` to the site's Atom, RSS and
JSON feeds in its head (ablog advertised Atom only on pages built from
``page.html``; its own link to the site feed is replaced by ours, its links to
category, tag and year feeds are kept).
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.config import declare
from zhiyuan.pages.latest_updates import post_excerpt
from zhiyuan.posts.fields import author_names, site_timezone
from zhiyuan.posts.model import Post, published_posts

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _base_url(config: Config) -> str:
    base = config.feeds_extra_base_url or config.html_baseurl
    return base if base.endswith("/") else base + "/"


def _feed_posts(app: Sphinx) -> list[Post]:
    return published_posts(app.env)[: app.config.feeds_extra_length]


def _published(app: Sphinx, post: Post) -> dt.datetime:
    """The post's publication time, aware, in the site's time zone (UTC where none is set)."""
    tz = site_timezone(app.config) or ZoneInfo("UTC")
    when = post.time
    if when is None or when.date() != post.date:  # keep the date the rest of the site shows
        when = dt.datetime.combine(post.date, dt.time())
    return when.replace(tzinfo=tz)


def _terms(app: Sphinx, post: Post) -> list[str]:
    return list(dict.fromkeys([*post.categories, *post.tags]))


def _post_url(app: Sphinx, post: Post) -> str:
    return urljoin(_base_url(app.config), app.builder.get_target_uri(post.docname))


def _feed_url(app: Sphinx, name: str) -> str:
    return urljoin(_base_url(app.config), f"{app.config.blog_path}/{name}")


def _authors(app: Sphinx, post: Post) -> list[str]:
    return list(author_names(app.config, post.authors))


def render_rss(app: Sphinx) -> bytes:
    """The site's RSS 2.0 feed."""
    from feedgen.feed import FeedGenerator

    config = app.config
    fg = FeedGenerator()
    fg.title(config.blog_title or config.project)
    fg.link(href=_feed_url(app, "rss.xml"), rel="self")
    fg.link(href=_base_url(config), rel="alternate")  # RSS keeps the last link: the site
    fg.description(config.blog_feed_subtitle or config.project)
    fg.language(config.language.replace("_", "-") if config.language else "zh-CN")
    fg.generator("Sphinx feeds_extra")
    licence = getattr(config, "site_licence", "")
    if licence:
        fg.rights(f"{licence}（另有注明的除外）")  # RSS <copyright>
    posts = _feed_posts(app)
    if posts:
        fg.lastBuildDate(_published(app, posts[0]))
    for post in posts:
        entry = fg.add_entry(order="append")
        url = _post_url(app, post)
        entry.id(url)
        entry.guid(url, permalink=True)
        # RSS readers take <title> and <description> as HTML: escape the text for
        # HTML here, and feedgen escapes that for XML
        entry.title(escape(post.title, quote=False))
        entry.link(href=url)
        entry.description(escape(post_excerpt(app.env, post), quote=False))
        entry.pubDate(_published(app, post))
        for term in _terms(app, post):
            entry.category(term=term)
    return fg.rss_str(pretty=True)


def render_json_feed(app: Sphinx) -> str:
    """The site's JSON Feed 1.1."""
    config = app.config
    items = []
    for post in _feed_posts(app):
        url = _post_url(app, post)
        excerpt = post_excerpt(app.env, post)
        items.append({
            "id": url,
            "url": url,
            "title": post.title,
            "summary": excerpt,
            "content_text": excerpt,
            "date_published": _published(app, post).isoformat(),
            "tags": _terms(app, post),
            "authors": [{"name": name} for name in _authors(app, post)],
        })
    feed = {
        "version": JSON_FEED_VERSION,
        "title": config.blog_title or config.project,
        "home_page_url": _base_url(config),
        "feed_url": _feed_url(app, "feed.json"),
        "description": config.blog_feed_subtitle or config.project,
        "language": config.language.replace("_", "-") if config.language else "zh-CN",
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Advertise the site's Atom, RSS and JSON feeds in the page head."""
    if not app.config.html_baseurl and not app.config.feeds_extra_base_url:
        return
    blog_path = app.config.blog_path
    if context.get("feed_path") == blog_path:
        context["feed_path"] = None  # ablog's link to the site feed; ours replaces it
    pathto = context["pathto"]
    title = escape(app.config.blog_title or app.config.project, quote=True)
    links = [
        ("application/atom+xml", "atom.xml", "Atom"),
        ("application/rss+xml", "rss.xml", "RSS"),
        ("application/feed+json", "feed.json", "JSON Feed"),
    ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n    <link rel="alternate" type="{kind}" '
        f'href="{escape(pathto(f"{blog_path}/{name}", 1), quote=True)}" title="{title} ({label})" />'
        for kind, name, label in links
    )


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write the feeds once the HTML is written."""
    if exception is not None or app.builder.format != "html":
        return
    if not app.config.html_baseurl and not app.config.feeds_extra_base_url:
        logger.warning(
            "feeds need absolute URLs: set html_baseurl (or feeds_extra_base_url); no RSS or JSON feed written",
            type="feeds_extra",
            subtype="config",
        )
        return
    folder = Path(app.outdir) / app.config.blog_path
    folder.mkdir(parents=True, exist_ok=True)
    caches.write_if_changed(folder / "rss.xml", render_rss(app))
    caches.write_if_changed(folder / "feed.json", render_json_feed(app).encode("utf-8"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("ablog")
    app.setup_extension("zhiyuan.pages.latest_updates")
    declare(app, "zhiyuan.pages.feeds")
    # after ablog has put its own feed link into the context
    app.connect("html-page-context", _on_html_page_context, priority=600)
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
