"""Accessibility of the built site, read from its files: language, alt text, heading levels
(axe-core in Chromium: tests/browser/test_accessibility.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import soup

pytestmark = [pytest.mark.site]

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


# -- every page, statically ----------------------------------------------------


def test_every_page_is_in_simplified_chinese(site):
    for path in _pages(site):
        assert soup(path).html.get("lang") == "zh-CN", path.relative_to(site)


def test_every_image_has_alt_text(site):
    # no article has an image yet; this keeps the first one honest (alt="" for decoration)
    for path in _pages(site):
        for img in soup(path).find_all("img"):
            assert img.has_attr("alt"), f"{path.relative_to(site)}: {img}"


def _heading_levels(path: Path) -> list[int]:
    """Levels of the headings of the page's main content, as a screen reader lists them."""
    main = soup(path).select_one("main#main-content")
    assert main is not None, path
    for hidden in main.select(".onlyprint"):  # sphinx-book-theme's print-only copy of the title
        hidden.decompose()
    return [int(h.name[1]) for h in main.find_all(HEADINGS)]


def test_main_content_headings_start_at_h1_and_skip_no_level(site):
    for path in _pages(site):
        levels = _heading_levels(path)
        name = path.relative_to(site).as_posix()
        assert levels and levels[0] == 1, f"{name}: {levels}"
        assert levels.count(1) == 1, f"{name}: {levels}"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{name}: h{before} followed by h{after} in {levels}"
