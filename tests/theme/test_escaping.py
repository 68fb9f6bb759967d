"""Text from articles is escaped everywhere it lands: pages, sidebars, archives, feeds."""

from __future__ import annotations

import feedparser
import pytest

from helpers import soup

TITLE = "<img src=x onerror=alert('title')> &amp; 与 {% raw %}"
CATEGORY = '<script>alert("cat")</script>'
TAG = "x\"><svg onload=alert('tag')>"
AUTHOR = "<img src=x onerror=alert('author')>"


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("hostile")


def _pages(app):
    return sorted(app.outdir.rglob("*.html"))


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_no_injected_markup_on_any_page(app):
    for path in _pages(app):
        page = soup(path)
        assert not page.select("[onerror], [onload], [onmouseover]"), path
        assert not page.select("svg"), path
        for script in page.select("script"):
            assert "alert(" not in script.get_text(), path


def test_hostile_text_is_shown_literally(app):
    post = soup(app.outdir / "posts/2025/hostile.html")
    assert post.select_one(".bd-article h1").get_text().replace("#", "").strip() == TITLE
    assert TITLE in post.select_one("title").get_text()
    postcard = post.select_one(".ablog__postcard2").get_text()
    for text in (CATEGORY, TAG, AUTHOR, "{{ 7*7 }}"):
        assert text in postcard
    assert "49" not in postcard

    neighbour = soup(app.outdir / "posts/2025/neighbour.html")
    recent = [a.get_text() for a in neighbour.select(".ablog__recentposts a")]
    assert any(TITLE in text for text in recent)

    listing = soup(app.outdir / "blog.html")
    assert TITLE in [a.get_text() for a in listing.select(".ablog-post-title a")]

    category_pages = [p for p in (app.outdir / "blog/category").glob("*.html")]
    assert category_pages
    for path in category_pages:
        page = soup(path)
        assert CATEGORY in page.select_one(".bd-article h1").get_text()
        assert CATEGORY in page.select_one("title").get_text()

    catalog = soup(app.outdir / "blog/category.html")
    assert CATEGORY in [a.get_text() for a in catalog.select(".ablog__catalog_header h2 a")]


def test_feeds_carry_the_literal_text(app):
    feeds = sorted(app.outdir.rglob("atom.xml"))
    assert feeds
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, path
        for entry in feed.entries:
            if entry.link.endswith("hostile.html"):
                assert entry.title == TITLE
                assert {t.label for t in entry.tags} >= {TAG, "{{ 7*7 }}"}
