"""Each post's structured data: a schema.org ``Article`` as JSON-LD in its ``<head>``.

Search engines read a post's title, dates, authors, licence and picture from it::

    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",
      "headline": …, "description": …, "datePublished": …, "dateModified": …,
      "author": [{"@type": "Person", "name": …}], "publisher": {…}, "license": …,
      "image": {"@type": "ImageObject", "url": …, "width": …, "height": …},
      "url": …, "mainEntityOfPage": …, "inLanguage": "zh-CN", "articleSection": […], "keywords": […]}
    </script>

Everything comes from the post's one record (:class:`zhiyuan.posts.model.Post`):
``datePublished`` is its ``date`` (with the time of day and the site's offset when the front
matter gives one), ``dateModified`` the 最后更新 day its header shows
(:func:`zhiyuan.pages.last_updated.last_updated`, when later), else the publication date;
``license`` the address of its licence (``license:``, else ``site_licence``); ``image`` its
share picture (:mod:`zhiyuan.web.share_cards`); addresses are absolute under
``html_baseurl``.

**A data block, not a script.**  A ``<script>`` whose type is not JavaScript is never run,
so the Content-Security-Policy's ``script-src`` does not apply to it and the strict policy of
:mod:`zhiyuan.theme.strict_csp` holds.  What the block holds is the article's text, so it is
escaped for HTML as Django's ``json_script`` does: ``<``, ``>`` and ``&`` are written as
``\\u003c``, ``\\u003e``, ``\\u0026`` (JSON reads them back as the same characters), so
nothing in a title can end the block (``</script>``) or open a comment.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from zhiyuan.pages.last_updated import last_updated
from zhiyuan.pages.latest_updates import post_excerpt
from zhiyuan.posts.fields import author_names, site_timezone
from zhiyuan.posts.model import Post, post_records
from zhiyuan.posts.schema import DEFAULT_LICENCE, LICENCES
from zhiyuan.web.share_cards import share_image, site_name

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script(data: dict[str, Any]) -> str:
    """*data* as a JSON-LD ``<script>`` element whose text no HTML parser can end early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_HTML_SAFE)
    return f'<script type="application/ld+json">{text}</script>'


def _absolute(app: Sphinx, path: str) -> str:
    return urljoin(app.config.html_baseurl or "", path)


def _published(app: Sphinx, post: Post) -> str:
    """The post's publication date, with its time of day and the site's offset where it has one."""
    tz = site_timezone(app.config)
    if post.time is not None and post.time.time() != dt.time() and tz is not None:
        return post.time.replace(tzinfo=tz).isoformat()
    return post.date.isoformat()


def article(app: Sphinx, docname: str) -> dict[str, Any] | None:
    """The schema.org ``Article`` of the post *docname*; None for a page that is not a post."""
    post = post_records(app.env).get(docname)
    if post is None:
        return None
    url = _absolute(app, app.builder.get_target_uri(docname))
    published = _published(app, post)
    updated = last_updated(app, docname)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": post.title,
        "description": post_excerpt(app.env, post),
        "datePublished": published,
        "dateModified": updated.isoformat() if updated is not None and updated > post.date else published,
    }
    authors = author_names(app.config, post.authors)
    if authors:
        data["author"] = [{"@type": "Person", "name": name} for name in authors]
    data["publisher"] = {"@type": "Organization", "name": site_name(app), "url": _absolute(app, "")}
    licence = LICENCES.get(post.licence or getattr(app.config, "site_licence", DEFAULT_LICENCE))
    if licence:
        data["license"] = licence
    image = share_image(app, docname)
    if image is not None:
        data["image"] = {"@type": "ImageObject", "url": _absolute(app, image.path),
                         "width": image.width, "height": image.height}
    data["url"] = url
    data["mainEntityOfPage"] = url
    data["inLanguage"] = (app.config.language or "zh_CN").replace("_", "-")
    if post.categories:
        data["articleSection"] = list(post.categories)
    if post.tags:
        data["keywords"] = list(post.tags)
    return data


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put a post's ``Article`` in its head."""
    data = article(app, pagename) if doctree is not None else None
    if data is not None:
        context["metatags"] = context.get("metatags", "") + script(data) + "\n"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.pages.latest_updates")
    app.setup_extension("zhiyuan.web.share_cards")
    app.connect("html-page-context", _on_html_page_context, priority=560)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
