"""Our caches and build state live in one folder of the doctree folder, discarded (and every page
written again) when our code changes."""

from __future__ import annotations

import shutil

import zhiyuan.caches as caches

from helpers import build


def test_every_cache_and_state_file_is_in_our_folder(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    ours = sorted(p.name for p in (app.doctreedir / "zhiyuan").iterdir())
    assert "code-version" in ours and "ablog_incremental.json" in ours and "search_pages" in ours
    # beside it, only what Sphinx itself writes: the environment and the doctrees
    assert sorted(p.name for p in app.doctreedir.iterdir()) == ["environment.pickle", "index.doctree", "posts", "zhiyuan"]
    assert {p.suffix for p in (app.doctreedir / "posts").rglob("*") if p.is_file()} == {".doctree"}


def test_a_change_of_our_code_discards_the_folder_and_writes_every_page(rootdir, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    first = build(src, freshenv=True)
    leftover = first.doctreedir / "zhiyuan" / "left-by-the-old-code.json"
    leftover.write_text("{}", encoding="utf-8")

    noop = build(src)
    assert noop.warning.getvalue() == ""
    assert leftover.is_file()  # the same code: the folder stays
    assert "no targets are out of date" in noop.status.getvalue()

    monkeypatch.setattr(caches, "code_version", lambda: "another version of our code")
    after_upgrade = build(src)
    assert after_upgrade.warning.getvalue() == ""
    assert not leftover.exists()
    assert (first.doctreedir / "zhiyuan" / "code-version").read_text(encoding="utf-8") == "another version of our code"
    written = after_upgrade.status.getvalue()
    assert "no targets are out of date" not in written
    assert all(f"{doc}\x1b" in written or f"{doc}\n" in written for doc in sorted(first.env.found_docs)), written


def test_the_code_version_follows_every_file_of_the_package():
    caches.code_version.cache_clear()
    assert caches.code_version() == caches.code_version()
    assert len(caches.code_version()) == 64
