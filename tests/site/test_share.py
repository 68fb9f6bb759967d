"""The full site's share images: every post has an og:image naming a
1200×630 PNG that exists (its card)."""

from __future__ import annotations

from pathlib import Path

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
