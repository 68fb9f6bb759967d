"""Hover previews on the full site (_ext/zhiyuan/pages/previews): every link marked for a preview
finds one in its target page's file, the script is deferred and loaded only by pages with such a
link (the home page has none), and no preview holds a link, an id or anything that runs."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from helpers import page_scripts, soup

pytestmark = pytest.mark.site

SCRIPT = "_static/zhiyuan-previews.js"


def _pages(site: Path) -> dict[str, BeautifulSoup]:
    return {
        path.relative_to(site).as_posix(): soup(path)
        for path in sorted(site.rglob("*.html"))
    }


@pytest.fixture(scope="module")
def pages(site) -> dict[str, BeautifulSoup]:
    return _pages(site)


def _previews(site: Path, page: str) -> dict:
    return json.loads(
        (site / "_previews" / f"{page.removesuffix('.html')}.json").read_text(
            encoding="utf-8"
        )
    )


def test_every_marked_link_finds_its_preview(site, pages):
    links = 0
    for name, page in pages.items():
        for link in page.select("a.zy-preview"):
            path, _, anchor = link["href"].partition("#")
            target = (
                posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(path))
                )
                if path
                else name
            )
            assert unquote(anchor) in _previews(site, target)["ids"], (
                name,
                link["href"],
            )
            links += 1
    # glossary terms in the posts, references between posts, the guide's equation and footnote
    assert links > 300
    kinds = {
        "term": "a.zy-preview .std-term",
        "ref": "a.zy-preview .std-ref",
        "eq": 'a.zy-preview[href^="#equation-"]',
        "footnote": "a.footnote-reference.zy-preview",
        "numref": "a.zy-preview .std-numref",
    }
    for kind, selector in kinds.items():
        assert any(page.select(selector) for page in pages.values()), kind


def test_only_pages_with_a_preview_load_the_script_and_it_is_deferred(site, pages):
    with_previews = 0
    for name, page in pages.items():
        scripts = [tag for path, tag in page_scripts(site, site / name) if path == SCRIPT]
        marked = bool(page.select("a.zy-preview"))
        assert len(scripts) == (1 if marked else 0), name
        if marked:
            assert scripts[0].has_attr("defer"), name
            with_previews += 1
    assert not pages["index.html"].select(
        "a.zy-preview"
    )  # the home page's budget pays nothing
    assert pages["glossary.html"].select(
        "a.zy-preview"
    )  # its definitions link the articles
    assert with_previews >= 30


def test_previews_hold_no_link_id_or_script(site):
    files = sorted((site / "_previews").rglob("*.json"))
    assert files
    for path in files:
        for html in json.loads(path.read_text(encoding="utf-8"))["previews"]:
            preview = BeautifulSoup(html, "html.parser")
            assert not preview.select("a, [id], script, style, .zy-preview"), (
                path,
                html[:200],
            )
            assert not [
                tag.name
                for tag in preview.find_all(True)
                if any(a.startswith("on") for a in tag.attrs)
            ]
