"""OpenGraph and Twitter card meta tags on every page, with escaped text.

sphinxext-opengraph writes the ``og:`` tags (title, type, canonical URL, site
name, description) for pages that have a doctree.  This extension loads it and
closes four gaps:

* **posts** get their excerpt (``latest_updates``, the same text as the home page
  and ``<meta name="description">``) as ``og:description`` instead of
  sphinxext-opengraph's own opening text;
* **titles are escaped**: sphinxext-opengraph unescapes the page title and only
  re-escapes quotes, so a title with ``&`` or ``<`` would land raw in the
  attribute; we hand it the escaped title as a per-page override;
* **generated pages** (ablog's archives, index pages 2…n, series overviews) have
  no doctree, so sphinxext-opengraph skips them; we run it for them too;
* **posts are shared with a picture**: their cover or their card
  (:mod:`zhiyuan.web.share_cards`), handed to sphinxext-opengraph as the per-page
  ``og:image`` field with its alt text, size and type.

Pages whose template sets the title (the index, the search page) get a
generic one.  Every page also gets ``twitter:card`` (``summary_large_image`` on a page with
an ``og:image``, else ``summary``), ``twitter:title`` and ``twitter:description``.  The 404
page (``notfound_pagename``) gets none: it has no canonical URL of its own.
sphinxext-opengraph's own social cards stay off (``ogp_social_cards = {"enable": False}``;
why: :mod:`zhiyuan.web.share_cards`).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from sphinx.locale import _

from zhiyuan.compat import sphinxext_opengraph as opengraph
from zhiyuan.pages.latest_updates import post_excerpt
from zhiyuan.posts.model import post_records
from zhiyuan.web.share_cards import share_image

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

def _text(title_html: str) -> str:
    """Plain text of a title Sphinx holds as HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", title_html)).strip()


def _title(context: dict[str, Any]) -> str:
    """The page title as HTML; pages whose template sets it (index, search) get a generic one."""
    if context.get("title"):
        return str(context["title"])
    names = {"genindex": _("Index"), "search": _("Search")}
    return html.escape(str(names.get(context.get("pagename", ""), context.get("docstitle", ""))))


def _is_404(app: Sphinx, pagename: str) -> bool:
    return pagename == getattr(app.config, "notfound_pagename", None)


def _fields(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, Any]:
    """Per-page fields for sphinxext-opengraph: escaped title, a post's excerpt and share image."""
    # a copy: context["meta"] is the environment's own metadata of the page
    fields = dict(context.get("meta") or {})
    fields["og:title"] = html.escape(_text(_title(context)), quote=False)
    record = post_records(app.env).get(pagename)
    if record is not None:
        fields["og:description"] = html.escape(post_excerpt(app.env, record), quote=False)
    image = share_image(app, pagename)
    if image is not None and "og:image" not in fields:
        # a path: opengraph makes it absolute under ogp_site_url
        fields["og:image"] = image.path
        fields["og:image:alt"] = html.escape(image.alt, quote=False)
        fields["og:image:width"] = str(image.width)
        fields["og:image:height"] = str(image.height)
        fields["og:image:type"] = image.mime
    return fields


def _on_html_page_context_before(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Hand sphinxext-opengraph an escaped title, and a post's excerpt as description."""
    if doctree is None or _is_404(app, pagename):
        return
    context["meta"] = _fields(app, pagename, context)


def _on_html_page_context_after(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Run sphinxext-opengraph for generated pages; add the Twitter card tags."""
    if _is_404(app, pagename):
        return
    if doctree is None and opengraph.active(app):  # titles of generated pages are escaped by now (portal_theme)
        page = {**context, "title": _title(context), "meta": _fields(app, pagename, context)}
        context["metatags"] = context.get("metatags", "") + opengraph.tags_for_generated_page(app, pagename, page)
    title = html.escape(_text(_title(context)), quote=True)
    card = "summary_large_image" if 'property="og:image"' in context.get("metatags", "") else "summary"
    tags = [
        f'<meta name="twitter:card" content="{card}" />',
        f'<meta name="twitter:title" content="{title}" />',
    ]
    description = opengraph.description(context.get("metatags", "")) if opengraph.active(app) else None
    if description is not None:  # escaped already by whoever wrote og:description
        tags.append(f'<meta name="twitter:description" content="{description}" />')
    context["metatags"] += "\n" + "\n".join(tags) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.pages.latest_updates")
    app.setup_extension("zhiyuan.web.share_cards")
    opengraph.setup_quietly(app)
    # before sphinxext-opengraph (500) reads the page's fields, and after it
    app.connect("html-page-context", _on_html_page_context_before, priority=450)
    app.connect("html-page-context", _on_html_page_context_after, priority=550)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
