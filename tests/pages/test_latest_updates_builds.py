"""latest_updates across build modes: parallel reads, and incremental rebuilds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from zhiyuan.posts.model import post_records

from helpers import build, soup


def _index_snapshot(outdir: Path, descriptions: bool = True) -> dict[str, str]:
    """The index sections, pagers and (optionally) post descriptions of a built site."""
    snapshot = {}
    for path in sorted(outdir.rglob("*.html")):
        page = soup(path)
        parts = [str(el) for el in page.select("section.latest-updates, nav.latest-updates-pager, section.post-archive")]
        if descriptions:
            parts += [m["content"] for m in page.select('meta[name="description"]')]
        if parts:
            snapshot[path.relative_to(outdir).as_posix()] = "\n".join(parts)
    return snapshot


def test_parallel_read_equals_serial(rootdir, tmp_path):
    serial_src, parallel_src = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(rootdir / "test-latest-parallel", serial_src)
    shutil.copytree(rootdir / "test-latest-parallel", parallel_src)
    serial = build(serial_src, freshenv=True)
    parallel = build(parallel_src, freshenv=True, parallel=2)
    assert serial.warning.getvalue() == ""
    assert parallel.warning.getvalue() == ""
    # parallel reading reports chunks of documents: "[ 50%] index .. posts/2025/post-4"
    assert re.search(r"reading sources\.\.\. .*\S+ \.\. \S+", parallel.status.getvalue())
    serial_pages, parallel_pages = _index_snapshot(serial.outdir), _index_snapshot(parallel.outdir)
    assert len(serial_pages) >= 3 + 9
    assert parallel_pages == serial_pages
    assert set(post_records(parallel.env)) == {f"posts/2025/post-{i}" for i in range(1, 10)}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


EDITS = {
    "add": lambda src: (src / "posts/2025/zeta.md").write_text(
        "---\ndate: 2025-07-01\ncategory: Machine Learning\n---\n\n# Zeta 新文章\n\n新来的。\n", encoding="utf-8"
    ),
    "title": lambda src: _edit(src / "posts/2024/delta.md", "# Delta 引用文章", "# Delta 改过的标题"),
    "date": lambda src: _edit(src / "posts/2024/epsilon.md", "date: 2024-01-01", "date: 2025-09-09"),
    "category": lambda src: _edit(src / "posts/2025/beta.md", "category: Python", "category: Machine Learning"),
    "body": lambda src: _edit(src / "posts/2025/alpha.md", "同一天发表的两篇文章", "改写后的开头"),
    "referenced_title": lambda src: _edit(src / "posts/2025/alpha.md", "# Alpha 同日文章", "# Alpha 新标题"),
    "delete": lambda src: (src / "posts/2025/gamma.md").unlink(),
}


def test_incremental_rebuilds_equal_clean_builds(rootdir, tmp_path):
    src = tmp_path / "incremental"
    shutil.copytree(rootdir / "test-latest", src)
    first = build(src, freshenv=True)
    assert first.warning.getvalue() == ""
    for name, edit in EDITS.items():
        edit(src)
        incremental = build(src)
        clean_src = tmp_path / f"clean-{name}"
        shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
        clean = build(clean_src, freshenv=True)
        assert incremental.warning.getvalue() == "", name
        # index pages only: like Sphinx itself, a post's own page is not rewritten
        # when only the title of a page it references changes
        expected = _index_snapshot(clean.outdir, descriptions=False)
        got = _index_snapshot(incremental.outdir, descriptions=False)
        # Sphinx never deletes outputs; pages of deleted posts may linger unlinked
        assert {k: got[k] for k in expected if k in got} == expected, name
        assert set(expected) <= set(got), name


def _steps(app) -> dict[str, list[str]]:
    """The documents a build read and wrote, from its status log."""
    log = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", app.status.getvalue()).replace("\r", "\n")
    return {
        step: sorted(set(re.findall(rf"^{step} \S+\.\.\. \[\s*\d+%\] (\S+)$", log, re.M)))
        for step in ("reading", "writing")
    }


def test_index_and_archive_pages_are_written_again_when_what_they_show_changed(rootdir, tmp_path):
    """They are filled in at write time: a post's edit never makes Sphinx read them again,
    and it writes them again only if the edit changed what they show."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-latest", src)
    build(src, freshenv=True)

    _edit(src / "posts/2024/delta.md", "往下讲。", "往下讲，再补一句。")  # past its excerpt
    body = build(src)
    assert body.warning.getvalue() == ""
    assert _steps(body) == {"reading": ["posts/2024/delta"], "writing": ["posts/2024/delta"]}

    _edit(src / "posts/2024/delta.md", "# Delta 引用文章", "# Delta 新标题")  # listed on page 2 only
    title = build(src)
    assert title.warning.getvalue() == ""
    assert _steps(title)["reading"] == ["posts/2024/delta"]
    assert "archive" in _steps(title)["writing"]  # (and the index, whose toctree holds it: Sphinx's rule)
    assert "Delta 新标题" in soup(title.outdir / "archive.html").select_one("section.post-archive").get_text()

    _edit(src / "posts/2025/beta.md", "# Beta 同日文章", "# Beta 新标题")  # listed on page 1
    first_page = build(src)
    assert first_page.warning.getvalue() == ""
    assert _steps(first_page)["reading"] == ["posts/2025/beta"]
    assert {"archive", "index"} <= set(_steps(first_page)["writing"])
    titles = [a.get_text() for a in soup(first_page.outdir / "index.html").select("a.latest-update-title")]
    assert "Beta 新标题" in titles
