"""RSS 2.0 and JSON Feed 1.1 for the whole site, with excerpts, advertised on every page."""

from __future__ import annotations

import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from helpers import soup

BASE = "https://example.org/site/"
TITLE = "<img src=x onerror=alert('title')> &amp; \"引号\" 与 Q&A"
CATEGORY = '<script>alert("cat")</script>'
TAG = "x\"><svg onload=alert('tag')>"
NEWER_EXCERPT = "手写的摘要 <b>不是标签</b> & 符号"
ORDER = ["newer", "hostile", "older"]  # newest first; the 2099 draft nowhere


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("feeds")


def _text(html: str) -> str:
    """What a feed reader shows for a piece of RSS HTML."""
    return BeautifulSoup(html, "html.parser").get_text()


def _url(slug):
    return f"{BASE}posts/2025/{slug}.html"


def _description(app, slug):
    return soup(app.outdir / f"posts/2025/{slug}.html").select_one('meta[name="description"]')["content"]


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_rss_parses_with_the_excerpt_as_summary(app):
    feed = feedparser.parse((app.outdir / "blog/rss.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.version == "rss20"
    assert feed.feed.title == "测试 & <站>"
    assert feed.feed.link == BASE
    assert feed.feed.rights == "CC BY-SA 4.0（另有注明的除外）"  # <copyright>: the site's licence
    assert [e.link for e in feed.entries] == [_url(s) for s in ORDER]
    assert [e.id for e in feed.entries] == [_url(s) for s in ORDER]
    for entry, slug in zip(feed.entries, ORDER):
        assert _text(entry.summary) == _description(app, slug)
    assert _text(feed.entries[0].summary) == NEWER_EXCERPT
    assert BeautifulSoup(feed.entries[0].summary, "html.parser").find() is None  # no markup
    assert _text(feed.entries[2].summary) == "第一段是摘要的来源，含有 [Math] 公式。"
    assert feed.entries[2].published == "Sat, 01 Mar 2025 08:30:00 +0800"
    assert {t.term for t in feed.entries[2].tags} == {"Machine Learning", "numpy", "ml"}


def test_rss_carries_hostile_text_literally(app):
    raw = (app.outdir / "blog/rss.xml").read_text(encoding="utf-8")
    assert "<img" not in raw and "<script" not in raw and "<svg" not in raw
    entry = feedparser.parse(raw.encode()).entries[1]
    # RSS titles are HTML to readers: the HTML shows the title literally, with no markup
    assert _text(entry.title) == TITLE
    assert BeautifulSoup(entry.title, "html.parser").find() is None
    assert {t.term for t in entry.tags} == {CATEGORY, TAG}


def test_json_feed(app):
    feed = json.loads((app.outdir / "blog/feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "测试 & <站>"
    assert feed["home_page_url"] == BASE
    assert feed["feed_url"] == f"{BASE}blog/feed.json"
    items = feed["items"]
    assert [item["id"] for item in items] == [_url(s) for s in ORDER]
    assert [item["url"] for item in items] == [_url(s) for s in ORDER]
    for item, slug in zip(items, ORDER):
        assert item["summary"] == _description(app, slug)
        assert item["content_text"] == item["summary"]
        assert item["authors"] == [{"name": "编辑部"}]
    assert items[1]["title"] == TITLE
    assert items[1]["tags"] == [CATEGORY, TAG]
    assert items[2]["date_published"] == "2025-03-01T08:30:00+08:00"


def test_every_page_advertises_the_three_feeds(app):
    pages = sorted(app.outdir.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        head = soup(path).head
        for kind, name in (("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml"),
                           ("application/feed+json", "feed.json")):
            found = [l for l in head.select(f'link[rel="alternate"][type="{kind}"]')
                     if (path.parent / l["href"]).resolve() == (app.outdir / "blog" / name).resolve()]
            assert len(found) == 1, (path, kind)
            assert found[0]["title"].startswith("测试 & <站>")


def test_category_pages_keep_their_own_atom_feed(app):
    page = soup(app.outdir / "blog/category/python.html")
    hrefs = [l["href"] for l in page.select('link[type="application/atom+xml"]')]
    assert sorted(hrefs) == ["../atom.xml", "python/atom.xml"]
