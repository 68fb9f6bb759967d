"""Warnings are errors: a post that makes Sphinx warn fails the build, naming the file."""

from __future__ import annotations

import shutil
import subprocess
import sys


def test_post_that_warns_fails_the_build_and_names_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-warning", src)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
         str(src), str(tmp_path / "html")],
        capture_output=True, text=True,
        env={"PYTHONPATH": str(rootdir.parent.parent / "_ext"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "posts/2025/broken-link.md:11: WARNING: undefined label: 'no-such-label'" in result.stderr
    # --keep-going: the rest of the site was still written
    assert (tmp_path / "html/posts/2025/fine.html").is_file()
