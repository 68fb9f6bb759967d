"""Shared fixtures: Sphinx's testing fixtures, our test roots, and the full site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# our package, and the helpers every test module imports (helpers, browser, articles):
# the test modules are imported by path (``--import-mode=importlib``), so that a module's
# tests can be named after it in each folder
sys.path[:0] = [str(REPO / "_ext"), str(REPO / "tests")]

pytest_plugins = ["sphinx.testing.fixtures"]

collect_ignore = ["roots"]

# Every full-site build in the suite is dated by this instant, as a reproducible
# build would be (Sphinx reads it for the copyright year; see test_reproducible).
SOURCE_DATE_EPOCH = "1763769600"  # 2025-11-22T00:00:00Z


def build_site(out: Path, *options: str, repo: Path = REPO) -> Path:
    """Build the whole site (of *repo*, a copy of this repository) into *out*/html as
    ``nox -s build`` does; fail with the log on error."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", *options,
               "-d", str(out / "doctrees"), str(repo / "docs"), str(out / "html")]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=repo,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    assert result.returncode == 0, f"site build failed:\n{result.stderr}"
    return out / "html"


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
    return build_site(tmp_path_factory.mktemp("site"))


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


@pytest.fixture(scope="module")
def base_url(site):
    """The built site served on 127.0.0.1; a module overrides this to serve it otherwise."""
    from browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (Playwright's sync API runs one instance at a time)."""
    from playwright.sync_api import sync_playwright

    from browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
