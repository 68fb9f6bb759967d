"""sitemap.xml, robots.txt, OpenGraph / Twitter meta, the Chinese 404 page, the favicon."""

from __future__ import annotations

import queue
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from helpers import soup

BASE = "https://example.org/zh-cn/latest/"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
TITLE = "<img src=x onerror=alert('title')> &amp; \"引号\" 与 Q&A"


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("seo")


def _locs(app):
    root = ET.parse(app.outdir / "sitemap.xml").getroot()
    return [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def _pages(app):
    """The built pages (the theme ships a few template fragments under _static/)."""
    return sorted(p for p in app.outdir.rglob("*.html") if p.relative_to(app.outdir).parts[0] != "_static")


def _meta(page, key):
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_sitemap_lists_every_public_page_with_absolute_urls(app):
    locs = _locs(app)
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE) for loc in locs)
    pages = {p.relative_to(app.outdir).as_posix() for p in _pages(app)}
    expected = pages - {"search.html", "genindex.html", "404.html", "blog/drafts.html"}
    assert all(loc.isascii() for loc in locs)
    assert {unquote(loc[len(BASE):]) for loc in locs} == expected
    assert {"index.html", "posts/2025/hostile.html", "posts/2025/plain.html", "blog.html"} <= expected


def test_a_serial_build_collects_the_sitemap_in_process(app):
    """No multiprocessing Manager (a server process) for sphinx-sitemap's page list without ``-j``."""
    assert type(app.sitemap_links) is queue.Queue


def test_sitemap_has_no_drafts(app):
    assert not any("2099" in loc or "future" in loc for loc in _locs(app))
    assert not (app.outdir / "posts/2099").exists()


def test_robots_txt_points_at_the_sitemap(app):
    lines = (app.outdir / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def test_post_has_opengraph_and_twitter_tags_with_its_excerpt(app):
    page = soup(app.outdir / "posts/2025/plain.html")
    excerpt = "手写的摘要 <b>不是标签</b> & 符号"
    assert _meta(page, "description") == excerpt
    assert _meta(page, "og:description") == excerpt
    assert _meta(page, "twitter:description") == excerpt
    assert _meta(page, "og:title") == _meta(page, "twitter:title") == "普通文章"
    assert _meta(page, "og:url") == f"{BASE}posts/2025/plain.html"
    assert page.select_one('link[rel="canonical"]')["href"] == f"{BASE}posts/2025/plain.html"
    assert _meta(page, "twitter:card") == "summary_large_image"  # its share card (tests/web/test_share_cards.py)
    assert _meta(page, "og:image").startswith(f"{BASE}_images/cards/")
    assert _meta(page, "og:site_name") == "测试站"


def test_hostile_title_is_escaped_in_meta_tags(app):
    path = app.outdir / "posts/2025/hostile.html"
    page = soup(path)
    assert _meta(page, "og:title") == TITLE
    assert _meta(page, "twitter:title") == TITLE
    raw = path.read_text(encoding="utf-8")
    assert "<img src=x" not in raw and "<svg" not in raw and "<script>alert" not in raw


def test_every_page_but_404_has_social_meta(app):
    for path in _pages(app):
        page = soup(path)
        rel = path.relative_to(app.outdir).as_posix()
        if rel == "404.html":
            assert _meta(page, "og:title") is None
            continue
        assert _meta(page, "og:title"), rel
        assert _meta(page, "og:url") == BASE + rel, rel
        # a large picture for posts, which have a share image; a summary card elsewhere
        card = "summary_large_image" if rel.startswith("posts/") else "summary"
        assert _meta(page, "twitter:card") == card, rel
        assert bool(_meta(page, "og:image")) == (card == "summary_large_image"), rel
        assert _meta(page, "twitter:title") == _meta(page, "og:title"), rel
        assert not page.select("head [onerror], head [onload]"), rel


def test_generated_archive_pages_get_opengraph_too(app):
    category = next((app.outdir / "blog/category").glob("script*.html"))
    page = soup(category)
    assert '<script>alert("cat")</script>' in _meta(page, "og:title")


def test_404_page_in_chinese_with_absolute_links(app):
    page = soup(app.outdir / "404.html")
    assert page.select_one("html")["lang"].startswith("zh")
    assert page.select_one("article h1").get_text() == "页面未找到"
    assert page.select_one("article a")["href"] == "/zh-cn/latest/index.html"
    for tag, attr in (("link", "href"), ("script", "src"), ("a", "href")):
        for el in page.select(f"{tag}[{attr}]"):
            value = el[attr]
            assert value.startswith(("/zh-cn/latest/", "#", "https://")), (tag, value)


def test_favicon(app):
    assert (app.outdir / "_static/favicon.svg").is_file()
    icon = soup(app.outdir / "posts/2025/plain.html").select_one('link[rel="icon"]')
    assert icon["href"] == "../../_static/favicon.svg"
    assert soup(app.outdir / "404.html").select_one('link[rel="icon"]')["href"] == "/zh-cn/latest/_static/favicon.svg"
    svg = ET.parse(app.outdir / "_static/favicon.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert not [el for el in svg.iter() if any(k.endswith("href") for k in el.attrib)]  # self-contained


def test_sitemap_stays_complete_after_an_incremental_build(rootdir, tmp_path):
    import shutil

    from helpers import build

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-seo", src)
    first = build(src, freshenv=True)
    before = _locs(first)
    post = next((src / "posts/2025").glob("plain.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n再补一句。\n", encoding="utf-8")
    second = build(src)
    assert second.warning.getvalue() == ""
    assert _locs(second) == before
    assert len(before) > 5
