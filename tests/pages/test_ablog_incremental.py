"""Incremental builds write the same site as clean builds, and skip what did not change."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from helpers import build, soup


def _tree(outdir: Path) -> dict[str, str]:
    """SHA-256 of every output file: pages, feeds, sitemap, inventory, static files."""
    return {
        path.relative_to(outdir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and ".doctrees" not in path.parts
    }


def _log(app: SphinxTestApp) -> str:
    """The status log as plain lines (on a colour terminal, progress lines end in \\r)."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", app.status.getvalue()).replace("\r", "\n")


def _written(app: SphinxTestApp) -> list[str]:
    return sorted(m.group(1) for m in re.finditer(r"^writing output\.\.\. \[\s*\d+%\] (\S+)$", _log(app), re.M))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = {
    "body": lambda s: _edit(s / "posts/2025/third.md", "讲一点 Python。", "讲一点 Python，再补一句。"),
    "title": lambda s: _edit(s / "posts/2025/gradient-descent.md", "# 梯度下降入门", "# 梯度下降：从零开始"),
    "category": lambda s: _edit(s / "posts/2024/python-closures.md", "category: Python", "category: Machine Learning"),
    "new_post": lambda s: (s / "posts/2025/fourth.md").write_text(
        "---\ndate: 2025-09-09\ncategory: Python\ntags: new-tag\n---\n\n# 第四篇\n\n新来的文章。\n", encoding="utf-8"
    ),
    "deleted_post": lambda s: (s / "posts/2025/gradient-descent.md").unlink(),
    # two posts are left: the home index loses its page 2
    "index_page_dropped": lambda s: [(s / f"posts/2025/{name}.md").unlink() for name in ("gradient-descent", "third")],
    "draft_published": lambda s: _edit(s / "posts/2099/future-post.md", "date: 2099-01-01", "date: 2025-10-10"),
    # a new entry of the general index, which Sphinx's genindex.html lists
    "index_entry": lambda s: _edit(s / "posts/2024/python-closures.md", "# Python 闭包\n", "# Python 闭包\n\n```{index} 闭包\n```\n"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_build_equals_cleanbuild(rootdir, tmp_path, name):
    src = tmp_path / "incremental"
    shutil.copytree(rootdir / "test-incremental", src)
    first = build(src, freshenv=True)
    assert first.warning.getvalue() == ""
    EDITS[name](src)
    incremental = build(src)
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build(clean_src, freshenv=True)
    assert incremental.warning.getvalue() == ""
    expected, got = _tree(clean.outdir), _tree(incremental.outdir)
    assert sorted(got) == sorted(expected)
    differing = sorted(path for path in expected if got[path] != expected[path])
    assert differing == []


def test_noop_rebuild_reads_and_writes_nothing(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    build(src, freshenv=True)
    second = build(src)
    status = _log(second)
    assert "0 added, 0 changed, 0 removed" in status
    assert "ablog archive pages and feeds are up to date" in status
    assert _written(second) == []


def test_noop_rebuild_leaves_generated_pages_untouched(rootdir, tmp_path):
    """Generated pages (the index's page 2, ablog's archives, Sphinx's index and search page) keep their files."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    first = build(src, freshenv=True)
    names = ("index-page-2.html", "blog.html", "blog/tag/python.html", "genindex.html", "search.html")
    generated = [first.outdir / name for name in names]
    before = [path.stat().st_mtime_ns for path in generated]
    second = build(src)
    assert second.warning.getvalue() == ""
    assert [path.stat().st_mtime_ns for path in generated] == before


def test_body_edit_past_the_excerpt_rewrites_only_that_post(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    build(src, freshenv=True)
    _edit(src / "posts/2025/third.md", "结尾。", "结尾，改过了。")  # past the excerpt
    second = build(src)
    assert _written(second) == ["posts/2025/third"]  # the index shows its excerpt only
    assert "ablog archive pages and feeds are up to date" in _log(second)


def test_new_post_rewrites_only_pages_that_show_it(rootdir, tmp_path):
    """Post pages list no other posts in their sidebars, so a new post in an existing
    category and year rewrites itself, the post before it (its "next" link), the posts
    that now list it as related (same tag) and the index; no other post."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    build(src, freshenv=True)
    (src / "posts/2025/fourth.md").write_text(
        "---\ndate: 2025-12-01\ncategory: Python\ntags: python\n---\n\n# 第四篇\n\n新来的文章。\n", encoding="utf-8"
    )
    second = build(src)
    assert second.warning.getvalue() == ""
    assert _written(second) == ["index", "posts/2024/python-closures", "posts/2025/fourth", "posts/2025/third"]


def test_excerpt_edit_rewrites_only_the_archive_pages_that_list_the_post(rootdir, tmp_path):
    """A changed excerpt is shown on the archives of the post's own category, tags and
    year (and on the full listing); other archive pages keep their files untouched."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    first = build(src, freshenv=True)
    pages = {
        name: first.outdir / f"blog/{name}.html"
        for name in ("category/machine-learning", "tag/optimization", "2025", "category/python", "tag/python", "2024")
    }
    before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
    _edit(src / "posts/2025/gradient-descent.md", "梯度下降沿着负梯度方向更新参数", "梯度下降沿着负梯度的方向更新参数")
    second = build(src)
    assert second.warning.getvalue() == ""
    changed = sorted(name for name, path in pages.items() if path.stat().st_mtime_ns != before[name])
    assert changed == ["2025", "category/machine-learning", "tag/optimization"]
    assert "沿着负梯度的方向" in soup(pages["category/machine-learning"]).get_text()


def test_generated_pages_follow_what_their_sidebars_show(rootdir, tmp_path):
    """The index's page 2 with ablog's recent posts in its sidebar: a title edit of a post
    it does not list rewrites it still, as a clean build shows the new title there."""
    sidebars = {
        "posts/**": ["ablog/postcard.html", "portal/browse.html"],
        "blog/**": ["ablog/recentposts.html"],
        "index-page-*": ["ablog/recentposts.html"],
    }
    src = tmp_path / "incremental"
    shutil.copytree(rootdir / "test-incremental", src)
    build(src, freshenv=True, confoverrides={"html_sidebars": sidebars})
    page = src / "_build/html/index-page-2.html"
    assert "第三篇文章" not in soup(page).select_one("article").get_text()  # it is on page 1
    _edit(src / "posts/2025/third.md", "# 第三篇文章", "# 第三篇文章（修订）")
    incremental = build(src, confoverrides={"html_sidebars": sidebars})
    assert incremental.warning.getvalue() == ""
    recent = [a.get_text() for a in soup(page).select(".ablog__recentposts a")]
    assert any(text.endswith("第三篇文章（修订）") for text in recent)
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build(clean_src, freshenv=True, confoverrides={"html_sidebars": sidebars})
    assert _tree(incremental.outdir) == _tree(clean.outdir)


def test_generated_pages_follow_a_configuration_change(rootdir, tmp_path):
    """Nothing is read, but the index's pages show the new heading (the site's inputs changed)."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    build(src, freshenv=True)
    second = build(src, confoverrides={"latest_updates_title": "最新文章"})
    assert second.warning.getvalue() == ""
    assert "0 added, 0 changed, 0 removed" in _log(second)
    assert soup(second.outdir / "index-page-2.html").select_one("article h1").get_text() == "最新文章"


@pytest.mark.parametrize("feed_length", [None, 1])
def test_a_retitle_writes_only_the_feeds_that_list_the_post(rootdir, tmp_path, feed_length):
    """Each Atom feed is written again iff it lists the retitled post among its newest
    ``blog_feed_length`` (or is the site-wide feed, which ablog always writes)."""
    import feedparser

    overrides = {"blog_feed_length": feed_length}
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    first = build(src, freshenv=True, confoverrides=overrides)
    feeds = sorted(first.outdir.rglob("atom.xml"))
    assert len(feeds) > 8
    before = {path: path.stat().st_mtime_ns for path in feeds}
    _edit(src / "posts/2025/gradient-descent.md", "# 梯度下降入门", "# 梯度下降：从零开始")
    second = build(src, confoverrides=overrides)
    assert second.warning.getvalue() == ""
    assert sorted(second.outdir.rglob("atom.xml")) == feeds
    listing = {
        path for path in feeds
        if any(entry.title == "梯度下降：从零开始" for entry in feedparser.parse(path.read_bytes()).entries)
    }
    assert listing  # the post's own tag feed lists it whatever the length
    rewritten = {path for path in feeds if path.stat().st_mtime_ns != before[path]}
    assert rewritten == listing | {second.outdir / "blog/atom.xml"}
