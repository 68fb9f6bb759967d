"""`nox -s serve` runs each rebuild in a fork of a process that imported the site's code once, and
in a new interpreter once that code changed (_ext/zhiyuan/tools/preview.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import sphinx_autobuild  # noqa: F401 - in the test group: the tool is tested with what it drives
from helpers import soup
from zhiyuan.tools import preview


def _command(src, out):
    return [sys.executable, "-m", "sphinx", "build", "-b", "html", "-q", "-d", str(out / "doctrees"), str(src),
            str(out / "html")]


def test_sphinx_builds_in_a_fork_and_other_commands_run_as_they_are(rootdir, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-staged", src)
    monkeypatch.setattr(preview, "_imported", preview._package_files())
    monkeypatch.setattr(preview, "_warm_process", [os.getpid()])
    forked, here = [], []
    monkeypatch.setattr(preview, "_build_in_fork", lambda arguments: forked.append(arguments) or 0)
    monkeypatch.setattr(preview, "_build_here", lambda arguments: here.append(arguments) or 0)
    assert preview._Subprocess.run(_command(src, tmp_path)).returncode == 0
    assert forked == [_command(src, tmp_path)[4:]] and here == []
    echo = preview._Subprocess.run(["echo", "pre-build"], capture_output=True, text=True)
    assert echo.stdout == "pre-build\n" and len(forked) == 1
    # in a worker process forked from the warm one, the build runs in that worker
    monkeypatch.setattr(preview, "_warm_process", [os.getpid() + 1])
    assert preview._Subprocess.run(_command(src, tmp_path)).returncode == 0
    assert here == [_command(src, tmp_path)[4:]] and len(forked) == 1


def test_a_forked_build_writes_the_site_and_reports_failure(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-staged", src)
    assert preview._build_in_fork(_command(src, tmp_path)[4:]) == 0
    assert soup(tmp_path / "html" / "page.html").select_one("h1")
    (src / "conf.py").write_text("raise RuntimeError('broken conf')\n", encoding="utf-8")
    assert preview._build_in_fork(_command(src, tmp_path / "again")[4:]) != 0


def test_changed_package_code_means_a_new_interpreter(rootdir, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-staged", src)
    stale = dict(preview._package_files())
    stale[next(iter(stale))] -= 1  # as if a file of the package had changed since it was imported
    monkeypatch.setattr(preview, "_imported", stale)
    monkeypatch.setattr(preview, "_build_in_fork", lambda arguments: pytest.fail("forked with stale code"))
    ran = []
    real_run = subprocess.run
    monkeypatch.setattr(preview.subprocess, "run", lambda command, *a, **k: ran.append(command) or real_run(command, *a, **k))
    assert preview._Subprocess.run(_command(src, tmp_path)).returncode == 0
    assert ran == [_command(src, tmp_path)]
