"""The built site's figures, components and freshness (issue 23): every image of an article has
alt text, its size and lazy loading; every captioned figure is numbered 图 1, 2, … on its page and
every {numref} points at a figure of the page; every article has such a figure, referred to from
its text; a post's 最后更新 is never before its date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import soup

pytestmark = [pytest.mark.site]


def _pages(site, *needles: str):
    """The built pages whose HTML holds one of *needles* (parsing every page would take long)."""
    for path in sorted(site.rglob("*.html")):
        if "_static" not in path.parts:
            text = path.read_text(encoding="utf-8")
            if any(needle in text for needle in needles):
                yield path


def test_every_article_image_has_alt_text_size_and_lazy_loading(site):
    checked = 0
    for path in _pages(site, "<img"):
        for img in soup(path).select("article.bd-article img"):
            where = f"{path.relative_to(site)}: {img.get('src')}"
            assert img.get("alt", "").strip(), where
            assert img.get("width", "").isdigit() and img.get("height", "").isdigit(), where
            assert img.get("loading") == "lazy", where
            checked += 1
    assert checked >= 2  # the writing guide's figure and the grid world's


def test_figures_are_numbered_per_page_and_numrefs_resolve(site):
    numbered = 0
    for path in _pages(site, "caption-number", "std-numref"):
        page = soup(path)
        numbers = [span.get_text(strip=True) for span in page.select("figure figcaption .caption-number")]
        assert numbers == [f"图 {n}" for n in range(1, len(numbers) + 1)], path
        numbered += len(numbers)
        for ref in page.select("span.std-numref"):
            href = ref.parent["href"]
            assert re.fullmatch(r"图 \d+", ref.get_text()) or "%" not in ref.get_text(), path
            if href.startswith("#"):
                assert page.select_one(f'figure[id="{href[1:]}"]'), f"{path}: {href}"
    assert numbered >= 2


def test_every_article_has_a_numbered_captioned_figure_its_text_refers_to(site):
    """Issue 23, item 10: a figure in every article — a diagram or a plot of its own code."""
    posts = sorted(path for path in (site / "posts").rglob("*.html"))
    assert len(posts) >= 33
    for path in posts:
        page = soup(path)
        figures = page.select("article.bd-article figure[id]")
        assert figures, f"{path.relative_to(site)} has no figure"
        referred = {ref.parent["href"].lstrip("#") for ref in page.select("a > span.std-numref")}
        for figure in figures:
            where = f"{path.relative_to(site)}#{figure['id']}"
            assert figure.select_one("figcaption .caption-number"), where
            assert figure.select_one("figcaption .caption-text").get_text(strip=True), where
            image = figure.select_one("img")
            assert image is not None and re.search(r"[\u4e00-\u9fff]", image.get("alt", "")), where  # Chinese alt
            assert figure["id"] in referred or any(name in referred for name in figure.get("ids", [])), where


def test_a_posts_last_update_is_not_before_its_date(site):
    for path in _pages(site / "posts", "post-updated"):
        text = path.read_text(encoding="utf-8")  # the meta line's markup is ours (post_extras)
        date = re.search(r'<time class="post-date" datetime="([\d-]+)">', text).group(1)
        updated = re.search(r'<span class="post-updated">最后更新 <time datetime="([\d-]+)">\1</time></span>', text)
        assert updated and updated.group(1) > date, path


def test_every_sphinx_design_class_on_a_page_keeps_its_rules_in_the_joined_sheet(site):
    """sphinx-design's sheet is purged like the themes' (zhiyuan.theme.page_assets): a class its
    Python writes from parts (a dropdown's ``sd-summary-chevron-right``) must still find its rules."""
    import sphinx_design

    full = (Path(sphinx_design.__file__).parent / "static/sphinx-design.min.css").read_text(encoding="utf-8")
    joined = (site / "_static/zhiyuan.css").read_text(encoding="utf-8")
    used = set()
    for path in _pages(site, 'class="sd-', " sd-"):
        for classes in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            used.update(name for name in classes.split() if name.startswith("sd-"))
    assert "sd-tab-set" in used and "sd-dropdown" in used  # the writing guide's examples

    def selects(sheet: str, name: str) -> bool:
        return re.search(rf"\.{re.escape(name)}(?![\w-])", sheet) is not None

    assert [name for name in sorted(used) if selects(full, name) and not selects(joined, name)] == []
