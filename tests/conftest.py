"""Shared fixtures: Sphinx's testing fixtures, our test roots, and the full site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "_ext"))

pytest_plugins = ["sphinx.testing.fixtures"]

collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the whole site once, exactly as `nox -s build` does; return the HTML dir.

    Set PORTAL_SITE_DIR to an existing build to inspect it instead of rebuilding.
    """
    prebuilt = os.environ.get("PORTAL_SITE_DIR")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
         "-d", str(out / "doctrees"), str(REPO / "docs"), str(out / "html")],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 0, f"site build failed:\n{result.stderr}"
    return out / "html"


@pytest.fixture(scope="session")
def build_root(rootdir, tmp_path_factory):
    """Build a copy of ``tests/roots/test-<name>``; return the finished SphinxTestApp.

    For tests that share one build across a module (``sphinx.testing``'s ``app``
    fixture is per test).
    """
    import shutil

    from helpers import build

    def build_copy(name: str, **kwargs):
        src = tmp_path_factory.mktemp(name) / "src"
        shutil.copytree(rootdir / f"test-{name}", src, symlinks=True)
        return build(src, **kwargs)

    return build_copy
