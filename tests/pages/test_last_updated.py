"""Freshness of a post (_ext/zhiyuan/pages/last_updated.py, post_extras): 「最后更新」 from git in the
header, nothing and no warning where git cannot say (no repository, a shallow clone), the front
matter's ``tested_with`` (escaped) and ablog's ``update`` notes as the revision history."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from helpers import build, soup

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]


def _copy(rootdir, folder):
    src = folder / "src"
    shutil.copytree(rootdir / "test-freshness", src)
    return src


def _commit(src, message: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run([*GIT, "add", "-A"], cwd=src, check=True, env=env)
    subprocess.run([*GIT, "commit", "-q", "-m", message], cwd=src, check=True, env=env)


def _updated(app, slug: str) -> str | None:
    node = soup(app.outdir / f"posts/2025/{slug}.html").select_one(".post-meta .post-updated time")
    return node["datetime"] if node else None


@pytest.fixture(scope="module")
def app(build_root):
    """The root built where it is copied to: a folder that is not a git repository."""
    return build_root("freshness")


def test_outside_git_no_date_and_no_warning(app):
    assert app.warning.getvalue() == ""
    for slug in ("tested", "listed", "plain"):
        page = soup(app.outdir / f"posts/2025/{slug}.html")
        assert page.select_one(".post-extras .post-date")
        assert not page.select(".post-updated")
        assert not page.select('meta[property="article:modified_time"]')
        assert "最后更新" not in page.get_text()  # nor the build's time in the footer


def test_in_a_fresh_repository_the_commit_dates_each_post(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    subprocess.run([*GIT, "init", "-q"], cwd=src, check=True)
    _commit(src, "posts", "2025-03-02T23:30:00+00:00")  # 2025-03-03 in Asia/Shanghai
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    assert _updated(app, "tested") == "2025-03-03"
    page = soup(app.outdir / "posts/2025/tested.html")
    assert page.select_one(".post-updated").get_text() == "最后更新 2025-03-03"
    assert page.select_one('meta[property="article:modified_time"]')["content"].startswith("2025-03-03T07:30:00")
    # the same date in the theme's footer, never the time of the build
    assert "2025-03-03" in page.select_one(".footer, div.footer, footer").get_text()


def test_a_commit_no_later_than_the_post_date_shows_no_second_date(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    subprocess.run([*GIT, "init", "-q"], cwd=src, check=True)
    _commit(src, "posts", "2025-01-02T01:00:00+08:00")
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    assert _updated(app, "tested") == "2025-01-02"  # dated 2025-01-01
    assert _updated(app, "listed") is None  # dated 2025-01-02: last changed on the day it appeared
    assert _updated(app, "plain") is None  # dated 2025-01-03


def test_a_shallow_clone_builds_without_warnings_dating_what_its_history_holds(rootdir, tmp_path):
    origin = _copy(rootdir, tmp_path / "origin")
    subprocess.run([*GIT, "init", "-q"], cwd=origin, check=True)
    _commit(origin, "posts", "2025-02-01T12:00:00+08:00")
    (origin / "index.md").write_text("# 首页\n\n改过的首页。\n", encoding="utf-8")
    _commit(origin, "index", "2025-02-05T12:00:00+08:00")
    (origin / "posts/2025/plain.md").write_text(
        (origin / "posts/2025/plain.md").read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    _commit(origin, "plain", "2025-02-09T12:00:00+08:00")
    clone = tmp_path / "clone"
    subprocess.run([*GIT, "clone", "-q", "--depth", "2", origin.as_uri(), str(clone)], check=True)
    assert subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=clone, capture_output=True,
                          text=True, check=True).stdout.strip() == "true"
    app = build(clone, freshenv=True)
    assert app.warning.getvalue() == ""
    assert _updated(app, "plain") == "2025-02-09"  # changed within the clone's history
    assert _updated(app, "tested") is None  # last changed before it: no date rather than a wrong one


def test_tested_with_is_shown_escaped(app):
    line = soup(app.outdir / "posts/2025/tested.html").select_one(".post-extras .post-freshness .post-tested-with")
    assert line.get_text() == "测试环境：torch 2.6, <b>transformers</b> 4.46 & co"
    assert not line.select("b")
    listed = soup(app.outdir / "posts/2025/listed.html").select_one(".post-tested-with")
    assert listed.get_text() == "测试环境：numpy 2.1, scipy 1.14"
    assert not soup(app.outdir / "posts/2025/plain.html").select(".post-freshness")


def test_update_notes_are_the_revision_history(app):
    page = soup(app.outdir / "posts/2025/tested.html")
    links = page.select(".post-extras .post-revisions a")
    assert [a.get_text() for a in links] == ["2025-02-01", "2025-03-15"]
    notes = [page.select_one(a["href"]) for a in links]
    assert all(note is not None and "update" in note["class"] for note in notes)
    # ablog renders each note where it is written, titled in Chinese
    assert [note.select_one(".admonition-title").get_text() for note in notes] == ["更新于 2025-02-01", "更新于 2025-03-15"]
    assert "修正了学习率的取值" in notes[1].get_text()


def test_a_tested_with_mapping_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    post = src / "posts/2025/plain.md"
    post.write_text(post.read_text(encoding="utf-8").replace("tags: a\n", "tags: a\ntested_with: {torch: 2.6}\n"),
                    encoding="utf-8")
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert "plain.md:5" in warnings and "tested_with is a mapping" in warnings
    assert "[post_frontmatter.tested_with]" in warnings
