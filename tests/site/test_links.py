"""Every internal link, anchor and asset reference in the built site resolves.

A crawler over the output folder: each ``href``/``src`` that stays on the site
must name an existing file, and a ``#fragment`` an element id (or the legacy
``name``) on the target page.  The 404 page links through the site's absolute
prefix, as Read the Docs serves it; those links are checked against that prefix.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

# (selector, attribute) pairs that make the browser fetch or navigate.
REFERENCES = (("a[href]", "href"), ("link[href]", "href"), ("script[src]", "src"),
              ("img[src]", "src"), ("source[src]", "src"), ("iframe[src]", "src"))
NOT_FILES = ("mailto:", "javascript:", "data:", "tel:")
NOTFOUND_PREFIX = "/zh-cn/latest/"


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "lxml")


def _anchors(page: BeautifulSoup) -> frozenset[str]:
    return frozenset(el["id"] for el in page.select("[id]")) | frozenset(el["name"] for el in page.select("a[name]"))


def _target(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment *url* on *page* points at, or None if it leaves the site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(NOT_FILES):
        return None
    path = unquote(parts.path)
    if not path:
        return page, unquote(parts.fragment)
    if path.startswith("/"):
        assert path.startswith(NOTFOUND_PREFIX), f"root-relative link {url!r} outside the site prefix"
        target = site / path[len(NOTFOUND_PREFIX):]
    else:
        target = page.parent / path
    if path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), unquote(parts.fragment)


def _broken_links(site: Path) -> dict[str, list[str]]:
    root = site.resolve()
    anchors: dict[Path, frozenset[str]] = {}
    references: list[tuple[Path, str]] = []
    for page_path in sorted(root.rglob("*.html")):
        page = _page(page_path)
        anchors[page_path] = _anchors(page)
        references += [(page_path, element[attribute].strip())
                       for selector, attribute in REFERENCES for element in page.select(selector)]
    broken: dict[str, list[str]] = defaultdict(list)
    for page_path, url in references:
        target = _target(root, page_path, url)
        if target is None:
            continue
        file, fragment = target
        name = page_path.relative_to(root).as_posix()
        if not file.is_relative_to(root):
            broken[name].append(f"{url} (leaves the output folder)")
        elif not file.is_file():
            broken[name].append(f"{url} (no such file)")
        elif fragment and file.suffix == ".html" and fragment not in anchors[file]:
            broken[name].append(f"{url} (no element with id {fragment!r})")
    return dict(broken)


def test_every_internal_link_and_anchor_resolves(site):
    broken = _broken_links(site)
    assert broken == {}, "\n".join(f"{page}: {', '.join(links)}" for page, links in broken.items())


def test_the_crawler_sees_broken_links(tmp_path):
    """A missing page, a missing anchor and a missing asset are all reported."""
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#nowhere">x</a><a href="gone.html">y</a>'
        '<a href="#here">z</a><img src="_static/none.png" alt=""><a href="https://example.org/">e</a></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="top">b</h1>', encoding="utf-8")
    assert _broken_links(tmp_path) == {"a.html": [
        "b.html#nowhere (no element with id 'nowhere')",
        "gone.html (no such file)",
        "_static/none.png (no such file)",
    ]}
