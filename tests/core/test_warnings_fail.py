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


def test_a_page_named_like_blog_path_is_refused(rootdir, tmp_path):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-warning", src)
    (src / "posts/2025/broken-link.md").unlink()
    (src / "blog.md").write_text("---\norphan: true\n---\n# 我的博客\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    warnings = app.warning.getvalue()
    assert "blog.md: WARNING: page 'blog' has the name of a page ablog generates" in warnings
    assert "[portal_theme.blog_path]" in warnings
