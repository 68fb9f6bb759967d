"""Asset tags (``<link>``, ``<script>``) built once per folder: right links and checksums on every page."""

from __future__ import annotations

import zlib

import pytest

from helpers import resolve, soup

PAGES = ["index", "about", "guide/intro", "guide/advanced", "posts/2025/one", "posts/2025/two", "notes/note"]


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("navigation", freshenv=True)


def _asset_urls(app, page: str) -> list[str]:
    head = soup(app.outdir / f"{page}.html")
    return [tag["href"] for tag in head.select('link[rel="stylesheet"]')] + [
        tag["src"] for tag in head.select("script[src]")
    ]


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", PAGES)
def test_every_asset_link_leads_to_its_file_with_its_checksum(app, page):
    """Sphinx's ``?v=`` checksum is the file's CRC-32 (pydata's own assets carry its ``?digest=``).

    Except ``pygments.css``: pydata rewrites it at build-finished, after every page got the
    checksum of Sphinx's version (stock behaviour, not ours).
    """
    urls = _asset_urls(app, page)
    checked = 0
    for url in urls:
        path, _, query = url.partition("?")
        file = resolve(app.outdir / f"{page}.html", path)
        assert file.is_file(), url
        if query.startswith("v=") and file.name != "pygments.css":
            content = file.read_bytes().translate(None, b"\r")
            assert query == f"v={zlib.crc32(content):08x}", url
            checked += 1
    assert checked >= 5


def test_pages_share_their_folder_s_tags(app):
    assert _asset_urls(app, "guide/intro") == _asset_urls(app, "guide/advanced")
    assert _asset_urls(app, "posts/2025/one") == _asset_urls(app, "posts/2025/two")
    top, nested = _asset_urls(app, "about"), _asset_urls(app, "notes/note")
    assert nested == ["../" + url for url in top]
