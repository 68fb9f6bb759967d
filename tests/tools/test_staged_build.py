"""`nox -s build` publishes a build only when it succeeded (_ext/zhiyuan/tools/staged_build.py)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, soup

SCRIPT = REPO / "_ext" / "zhiyuan" / "tools" / "staged_build.py"


def _staged_build(src: Path, out: Path, verbosity: str = "-q") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(src), str(out / "html"), str(out / "doctrees"),
         "-b", "html", "-W", "--keep-going", verbosity],
        capture_output=True, text=True,
    )


def _manifest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _page_title(out: Path) -> str:
    heading = soup(out / "html" / "page.html").select_one("h1")
    return heading.find(string=True, recursive=False).strip()


def test_failed_build_leaves_the_published_site_untouched(rootdir, tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    shutil.copytree(rootdir / "test-staged", src)

    first = _staged_build(src, out)
    assert first.returncode == 0, first.stderr
    assert _page_title(out) == "第一版"
    assert sorted(p.name for p in out.iterdir()) == ["doctrees", "html"]  # no staging left behind
    published, doctrees = _manifest(out / "html"), _manifest(out / "doctrees")

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
    assert sorted(p.name for p in out.iterdir()) == ["doctrees", "html"]

    # The staging folder starts from the published build, so nothing is re-read.
    again = _staged_build(src, out, "-v")
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 changed, 0 removed" in again.stdout

