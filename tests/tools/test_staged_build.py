"""`nox -s build` publishes a build only when it succeeded, without copying the published
site on every build (_ext/zhiyuan/tools/staged_build.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO, soup
from zhiyuan.tools.staged_build import _fill, _level, _levelled

SCRIPT = REPO / "_ext" / "zhiyuan" / "tools" / "staged_build.py"


def _staged_build(src: Path, out: Path, verbosity: str = "-q") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(src), str(out / "html"), str(out / "doctrees"),
         "-b", "html", "-W", "--keep-going", verbosity],
        capture_output=True, text=True, check=False,
    )


def _manifest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in sorted(root.rglob("*")) if p.is_file()}


def _page_title(out: Path) -> str:
    heading = soup(out / "html" / "page.html").select_one("h1")
    return heading.find(string=True, recursive=False).strip()


def test_failed_build_leaves_the_published_site_untouched(rootdir, tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    shutil.copytree(rootdir / "test-staged", src)

    first = _staged_build(src, out)
    assert first.returncode == 0, first.stderr
    assert _page_title(out) == "第一版"
    assert sorted(p.name for p in out.iterdir()) == [".html.staging", "doctrees", "html"]
    assert not (out / "html").is_symlink()  # a plain folder: any tool and any browser can read it
    published, doctrees = _manifest(out / "html"), _manifest(out / "doctrees")
    # the spare slot is levelled with the published one (by a process of its own), ready for the next build
    _levelled(out / ".html.staging")
    assert _manifest(out / ".html.staging" / "html") == published
    assert _manifest(out / ".html.staging" / "doctrees") == doctrees

    (src / "page.md").write_text("# 第二版\n\n见 {doc}`missing`。\n", encoding="utf-8")
    failed = _staged_build(src, out)
    assert failed.returncode != 0
    assert "page.md:3" in failed.stderr and "missing" in failed.stderr
    assert f"{out / 'html'} is unchanged" in failed.stderr
    assert _manifest(out / "html") == published
    assert _manifest(out / "doctrees") == doctrees
    staged_page = out / ".html.staging" / "html" / "page.html"
    assert "第二版" in soup(staged_page).select_one("h1").get_text()  # kept for inspection

    (src / "page.md").write_text("# 第三版\n\n正文。\n", encoding="utf-8")
    fixed = _staged_build(src, out)
    assert fixed.returncode == 0, fixed.stderr
    assert _page_title(out) == "第三版"

    # The spare slot holds the published build, so nothing is re-read.
    again = _staged_build(src, out, "-v")
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 changed, 0 removed" in again.stdout


def test_incremental_build_rewrites_only_what_changed(rootdir, tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    shutil.copytree(rootdir / "test-staged", src)
    (src / "other.md").write_text("# 另一页\n\n不变的正文。\n", encoding="utf-8")
    (src / "index.md").write_text("# 首页\n\n```{toctree}\npage\nother\n```\n", encoding="utf-8")
    assert _staged_build(src, out).returncode == 0
    before = _mtimes(out / "html")

    (src / "other.md").write_text("# 另一页\n\n改过的正文。\n", encoding="utf-8")
    edited = _staged_build(src, out, "-v")
    assert edited.returncode == 0, edited.stderr
    assert "0 added, 1 changed, 0 removed" in edited.stdout
    after = _mtimes(out / "html")
    assert after["other.html"] != before["other.html"]
    assert after["page.html"] == before["page.html"]  # not written again, nor copied with a new time
    assert "改过的正文" in (out / "html" / "other.html").read_text(encoding="utf-8")


def test_interrupted_publication_starts_afresh(rootdir, tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    shutil.copytree(rootdir / "test-staged", src)
    assert _staged_build(src, out).returncode == 0
    (out / ".html.staging" / "publishing").touch()  # as if killed between the two exchanges

    rebuilt = _staged_build(src, out, "-v")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "0 added" not in rebuilt.stdout  # the doctrees were dropped: every document read anew
    assert not (out / ".html.staging" / "publishing").exists()
    assert _page_title(out) == "第一版"


def test_level_copies_what_differs_and_never_writes_through_a_link(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "sub").mkdir(parents=True)
    (source / "same.html").write_text("same", encoding="utf-8")
    (source / "sub" / "changed.html").write_text("new", encoding="utf-8")
    (source / "link").symlink_to("sub")
    assert _level(source, target) == 2
    assert _manifest(target) == _manifest(source)
    assert (target / "link").is_symlink() and os.readlink(target / "link") == "sub"

    (source / "sub" / "changed.html").write_text("newer", encoding="utf-8")
    (target / "gone.html").write_text("only in the target", encoding="utf-8")
    (target / "same.html").unlink()
    os.link(source / "same.html", target / "same.html")  # a hard link: equal, left as it is
    assert _level(source, target) == 1
    assert _manifest(target) == _manifest(source)
    assert not (target / "gone.html").exists()

    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("another file", encoding="utf-8")
    (target / "sub" / "changed.html").unlink()
    os.link(elsewhere, target / "sub" / "changed.html")  # differs, and is a link to another file
    assert _level(source, target) == 1
    assert _manifest(target) == _manifest(source)
    assert elsewhere.read_text(encoding="utf-8") == "another file"

    assert _level(tmp_path / "missing", target) == 0
    assert list(target.iterdir()) == []


def test_a_first_build_copies_the_files_it_has_finished_with_as_it_goes(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "sub").mkdir(parents=True)
    done, writing = source / "sub" / "done.html", source / "writing.html"
    done.write_text("finished", encoding="utf-8")
    earlier = time.time_ns() - 5_000_000_000
    os.utime(done, ns=(earlier, earlier))
    writing.write_text("half writ", encoding="utf-8")  # just written: Sphinx may not be done with it
    stop_reading, stop = os.pipe()
    os.close(stop)  # the build is over: one pass, then stop
    _fill([(str(source), str(target))], stop_reading)
    os.close(stop_reading)
    assert (target / "sub" / "done.html").read_text(encoding="utf-8") == "finished"
    assert (target / "sub" / "done.html").stat().st_mtime_ns == earlier
    assert not (target / "writing.html").exists()

    done.write_text("written again", encoding="utf-8")  # after it was copied: a later time
    assert _level(source, target) == 2  # the levelling after the build copies what changed or was left
    assert _manifest(target) == _manifest(source)
