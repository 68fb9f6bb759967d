"""Drafts (undated, or dated after today) are never built, except by the live preview, which
sets ``post_frontmatter_show_drafts`` and shows each with a 草稿 banner (posts/frontmatter.py,
pages/post_extras/)."""

from __future__ import annotations

import pytest
from helpers import soup

DRAFTS = ("posts/2025/undated", "posts/2099/future")
BANNER = "草稿：此文尚未发布，只在本地预览中可见。"


@pytest.fixture(scope="module")
def published(build_root):
    return build_root("drafts")


@pytest.fixture(scope="module")
def preview(build_root):
    return build_root("drafts", confoverrides={"post_frontmatter_show_drafts": True})


def _links(app, page: str) -> set[str]:
    body = soup(app.outdir / page).select_one("[role=main]")
    return {a["href"].split("#")[0] for a in body.select("a[href]")}


def test_a_published_build_has_no_drafts(published):
    assert published.warning.getvalue() == ""
    assert (published.outdir / "posts/2025/published.html").is_file()
    for draft in DRAFTS:
        assert not (published.outdir / f"{draft}.html").exists()
    assert not soup(published.outdir / "posts/2025/published.html").select(".zy-draft-banner")


def test_the_preview_shows_each_draft_with_a_banner_above_its_title(preview):
    assert preview.warning.getvalue() == ""
    for draft in DRAFTS:
        page = soup(preview.outdir / f"{draft}.html")
        banner = page.select_one("[role=main] .zy-draft-banner")
        assert banner is not None, draft
        assert banner.get_text(strip=True) == BANNER
        assert banner.find_next("h1") is page.select_one("[role=main] h1")  # above the title
    assert not soup(preview.outdir / "posts/2025/published.html").select(".zy-draft-banner")


def test_the_preview_keeps_drafts_out_of_listings_and_feeds(preview):
    assert "posts/2025/published.html" in _links(preview, "blog.html")
    for draft in DRAFTS:
        assert f"{draft}.html" not in _links(preview, "blog.html")
        assert f"../../{draft}.html" not in _links(preview, "blog/category/cat.html")
    feed = (preview.outdir / "blog/atom.xml").read_text(encoding="utf-8")
    assert "posts/2025/published" in feed
    assert not any(draft in feed for draft in DRAFTS)


def test_the_preview_names_its_drafts_in_the_log(preview):
    assert "shown in this preview only: posts/2025/undated, posts/2099/future" in preview.status.getvalue()


def test_the_preview_lists_drafts_on_ablogs_drafts_page(preview, published):
    assert _links(preview, "blog/drafts.html") >= {f"../{draft}.html" for draft in DRAFTS}
    assert not _links(published, "blog/drafts.html") & {f"../{draft}.html" for draft in DRAFTS}
