"""A ``robots.txt`` that points crawlers at the sitemap, and a sitemap they accept.

sphinx-sitemap writes ``sitemap.xml`` with absolute URLs; crawlers find it
through the ``Sitemap:`` line of ``robots.txt``, which must be absolute too, so
the file is written at the end of each HTML build from ``html_baseurl`` (the
Read the Docs canonical URL there, the production address elsewhere).
sphinx-sitemap lists only the pages written by the current build, so after an
incremental build (which rewrites only what changed) its sitemap would miss
every other page; here the URLs of earlier builds are kept (in the doctree
folder) as long as their page is still in the output folder and not excluded.
It also writes non-ASCII paths (``blog/author/知源编辑部.html``) as they are; the
sitemap protocol wants URLs percent-encoded, so they are encoded here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin
from xml.etree import ElementTree

from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.config import declare

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

logger = logging.getLogger(__name__)


def render_robots_txt(base_url: str, sitemap: str, disallow: list[str]) -> str:
    """Text of ``robots.txt`` for a site at *base_url* with *sitemap* beside its pages."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Allow: /"]
    lines += ["", f"Sitemap: {urljoin(base, sitemap)}"]
    return "\n".join(lines) + "\n"


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_KNOWN_URLS = "robots_txt_sitemap_urls.json"


def _encode(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def complete_sitemap(app: Sphinx, path: Path) -> None:
    """Rewrite the sitemap at *path*: this build's URLs plus earlier builds' still-existing pages.

    URLs are percent-encoded and sorted, so the file is the same whatever the build order.
    """
    base = app.config.html_baseurl if app.config.html_baseurl.endswith("/") else app.config.html_baseurl + "/"
    outdir = Path(app.outdir)
    known_file = caches.path(app.doctreedir, _KNOWN_URLS)
    try:
        known = set(json.loads(known_file.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        known = set()
    ElementTree.register_namespace("", _SITEMAP_NS)
    current = {loc.text or "" for loc in ElementTree.parse(path).iter(f"{{{_SITEMAP_NS}}}loc")}
    excluded = set(app.config.sitemap_excludes)
    urls = set()
    for url in {_encode(u) for u in current | known}:
        relative = unquote(url[len(base):]) if url.startswith(base) else None
        if relative and relative not in excluded and (outdir / relative).is_file():
            urls.add(url)
    root = ElementTree.Element(f"{{{_SITEMAP_NS}}}urlset")
    for url in sorted(urls):
        entry = ElementTree.SubElement(root, f"{{{_SITEMAP_NS}}}url")
        ElementTree.SubElement(entry, f"{{{_SITEMAP_NS}}}loc").text = url
    caches.write_if_changed(path, ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))
    caches.write_if_changed(known_file, json.dumps(sorted(urls)).encode("utf-8"))


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write robots.txt beside sitemap.xml, and encode the sitemap's URLs."""
    if exception is not None or app.builder.format != "html":
        return
    sitemap = Path(app.outdir) / app.config.sitemap_filename
    if sitemap.is_file():
        complete_sitemap(app, sitemap)
    base = getattr(app.config, "site_url", None) or app.config.html_baseurl
    if not base:
        logger.warning(
            "robots.txt needs an absolute sitemap URL: set html_baseurl; robots.txt not written",
            type="robots_txt",
            subtype="config",
        )
        return
    text = render_robots_txt(base, app.config.sitemap_filename, app.config.robots_txt_disallow)
    caches.write_if_changed(Path(app.outdir) / "robots.txt", text.encode("utf-8"))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("sphinx_sitemap")
    declare(app, "zhiyuan.web.robots_txt")
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
