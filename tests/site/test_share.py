"""The full site's share images and structured data: every post has an og:image naming a
1200×630 PNG that exists (its card), and a JSON-LD Article that agrees with what the page shows."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from helpers import soup

pytestmark = pytest.mark.site


def _posts(site: Path) -> list[Path]:
    return sorted((site / "posts").glob("*/*.html"))


def _meta(page, key):
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


def _base(site: Path) -> str:
    return soup(site / "index.html").select_one('link[rel="canonical"]')["href"].removesuffix("index.html")


def test_every_post_has_an_og_image_that_is_a_1200_by_630_png(site):
    base = _base(site)
    posts = _posts(site)
    assert len(posts) > 20
    cards = set()
    for path in posts:
        page = soup(path)
        url = _meta(page, "og:image")
        assert url and url.startswith(base), path
        file = site / url.removeprefix(base)
        assert file.is_file(), (path, url)
        with Image.open(file) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), path
        assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("1200", "630"), path
        assert _meta(page, "og:image:alt") == _meta(page, "og:title"), path
        assert _meta(page, "twitter:card") == "summary_large_image", path
        cards.add(file.name)
    # one card a post, and no card left of a post that is gone
    assert cards == {p.name for p in (site / "_images/cards").iterdir()}


def test_every_post_has_a_valid_json_ld_article_that_agrees_with_the_page(site):
    base = _base(site)
    for path in _posts(site):
        page = soup(path)
        (block,) = page.select('script[type="application/ld+json"]')
        assert "<" not in block.string, path
        data = json.loads(block.string)
        rel = path.relative_to(site).as_posix()
        assert (data["@context"], data["@type"], data["inLanguage"]) == ("https://schema.org", "Article", "zh-CN")
        assert data["headline"] == page.select_one(".bd-article h1").get_text().replace("#", "").strip(), rel
        assert data["url"] == data["mainEntityOfPage"] == base + quote(rel), rel
        assert data["url"] == page.select_one('link[rel="canonical"]')["href"], rel
        assert data["image"]["url"] == _meta(page, "og:image"), rel
        assert data["datePublished"][:10] == page.select_one(".post-meta time.post-date")["datetime"], rel
        updated = page.select_one(".post-meta .post-updated time")
        assert data["dateModified"][:10] == (updated["datetime"] if updated else data["datePublished"][:10]), rel
        assert data["license"] == page.select_one('.post-licence a[rel="license"]')["href"], rel
        names = page.select_one(".post-meta .post-author").get_text().split("、")
        assert data["author"] == [{"@type": "Person", "name": name} for name in names], rel
        assert data["publisher"] == {"@type": "Organization", "name": "知源", "url": base}, rel
        assert data["description"] == _meta(page, "description"), rel


def test_only_posts_have_json_ld(site):
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("posts/", "_static/")):
            continue
        text = path.read_text(encoding="utf-8")
        assert "application/ld+json" not in text, rel
