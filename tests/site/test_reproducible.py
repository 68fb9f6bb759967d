"""Reproducible builds: the same sources give the same bytes, serial or parallel, wherever they lie.

The session's site build, a second clean build, a ``-j 2`` build and a build of a
copy of the repository in another folder (at another depth), all dated by the same
``SOURCE_DATE_EPOCH``, must produce identical trees.  Nothing is excluded: feeds are
dated by their newest entry, equation ids by position, and ``.buildinfo``'s hash of
the configuration holds no absolute path into the repository.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import REPO, build_site

#: What a build reads of the repository: the sources, our package, KaTeX's and Font Awesome's files.
_BUILD_INPUTS = ("docs", "posts", "_ext", "node_modules")


def _manifest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under *root*, by relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


@pytest.mark.parametrize("options", [(), ("-j", "2")], ids=["serial", "parallel"])
def test_clean_builds_are_byte_identical(site, tmp_path, options):
    reference = _manifest(site)
    again = _manifest(build_site(tmp_path, *options))
    assert len(reference) > 300, "the manifest should cover the whole site"
    assert _differences(reference, again) == []


def _checkout(folder):
    for name in _BUILD_INPUTS:  # docs/posts stays a symbolic link to ../posts
        shutil.copytree(REPO / name, folder / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_a_copy_in_another_folder_builds_byte_identical(tmp_path):
    """Moving the repository changes nothing: the configuration Sphinx hashes into
    ``.buildinfo`` holds the folders extensions add relative to conf.py.

    Both checkouts are copies, at different depths, so that the Python environment running
    the builds lies outside both, as a checkout's own environment lies inside each (nox's
    ``.nox/``): in CI the repository holds the environment, and a copy does not."""
    first = _manifest(build_site(tmp_path / "_build1", repo=_checkout(tmp_path / "one")))
    again = _manifest(build_site(tmp_path / "_build2", repo=_checkout(tmp_path / "elsewhere" / "checkout")))
    assert ".buildinfo" in again
    assert _differences(first, again) == []
