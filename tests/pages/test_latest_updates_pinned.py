"""Pinned posts (front matter ``pinned: true``) at the top of LATEST UPDATES, marked 置顶."""

from __future__ import annotations

import shutil

import pytest

from helpers import build, soup


def _build(rootdir, tmp_path, **confoverrides):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-pinned", src)
    return build(src, freshenv=True, confoverrides=confoverrides)


def _entries(app, page="index.html"):
    return [(article.select_one(".latest-update-title").get_text(), bool(article.select_one(".latest-update-pinned")))
            for article in soup(app.outdir / page).select("article.latest-update")]


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    return _build(rootdir, tmp_path_factory.mktemp("pinned"))


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_pinned_posts_come_first_newest_first_and_are_marked(app):
    # c and a are pinned; then the others by date; three to a page
    assert _entries(app) == [("文章 c", True), ("文章 a", True), ("文章 d", False)]
    assert _entries(app, "index-page-2.html") == [("文章 b", False)]
    assert soup(app.outdir / "index.html").select_one(".latest-update-pinned").get_text() == "置顶"


def test_more_pinned_posts_than_allowed_is_a_warning_and_the_oldest_is_listed_by_date(rootdir, tmp_path):
    app = _build(rootdir, tmp_path, latest_updates_max_pinned=1)
    warnings = app.warning.getvalue()
    assert "posts/2025/a" in warnings and "[latest_updates.pinned]" in warnings and warnings.count("WARNING") == 1
    assert _entries(app) == [("文章 c", True), ("文章 d", False), ("文章 b", False)]
    assert _entries(app, "index-page-2.html") == [("文章 a", False)]


def test_a_pinned_that_is_not_true_or_false_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-pinned", src)
    post = src / "posts/2025/b.md"
    post.write_text(post.read_text(encoding="utf-8").replace("tags: t\n", "tags: t\npinned: maybe\n"), encoding="utf-8")
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert "b.md:5" in warnings and "pinned is 'maybe'" in warnings and "[post_frontmatter.pinned]" in warnings
    assert ("文章 b", False) in _entries(app) + _entries(app, "index-page-2.html")
