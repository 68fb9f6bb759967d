"""Lighthouse on the built site (benchmarks/lighthouse.py, one run per page, mobile preset, served
with gzip and the site's CSP): what does not depend on the machine's speed — the accessibility,
best-practices and SEO audits pass, no page logs a console error, and each page stays within
issue 21's render-blocking and byte limits."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import lighthouse  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.site]


@pytest.fixture(scope="module")
def reports(site, tmp_path_factory):
    """One Lighthouse run per page, two at a time (two Chromiums on two cores: what is asserted
    here does not depend on the machine's speed)."""
    from browser import serve

    out = tmp_path_factory.mktemp("lighthouse")

    def run(base: str, name: str, path: str) -> dict:
        return lighthouse.figures(lighthouse.lighthouse(base + path, out / f"{name.replace(' ', '-')}.json"))

    with serve(site, handler=lighthouse.GzipHandler) as base, ThreadPoolExecutor(max_workers=2) as pool:
        runs = {name: pool.submit(run, base, name, path) for name, path in lighthouse.pages(site).items()}
        return {name: future.result() for name, future in runs.items()}


@pytest.mark.parametrize("page", ["home", "math post", "code post", "category", "glossary", "search", "features"])
def test_accessibility_best_practices_and_seo_audits_pass(reports, page):
    figures = reports[page]
    assert figures["failed audits"] == []
    assert (figures["accessibility"], figures["best-practices"], figures["seo"]) == (100, 100, 100)
    assert figures["console errors"] == 0


@pytest.mark.parametrize("page", ["home", "math post", "code post", "category", "glossary", "search", "features"])
def test_render_blocking_requests_and_bytes_stay_within_limits(reports, page):
    figures = reports[page]
    assert figures["blocking"] <= lighthouse.MAX_BLOCKING
    kib = figures["KiB"] - figures["KaTeX font KiB"]
    assert kib <= lighthouse.MAX_KIB.get(page, lighthouse.MAX_KIB_OTHER), f"{page}: {kib:.0f} KiB"
