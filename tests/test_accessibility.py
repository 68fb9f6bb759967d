"""Accessibility of the built site: static checks on every page, axe-core in Chromium.

axe-core comes from npm (package.json pins it; `npm ci` installs it, as nox does).
Its rules run in light and dark mode on the home page, a post with math and code,
a category archive and a search results page; no violation of impact "serious" or
"critical" is allowed.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from helpers import REPO, math_and_code_post, soup

pytestmark = [pytest.mark.site]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


# -- every page, statically ----------------------------------------------------


def test_every_page_is_in_simplified_chinese(site):
    for path in _pages(site):
        assert soup(path).html.get("lang") == "zh-CN", path.relative_to(site)


def test_every_image_has_alt_text(site):
    # no article has an image yet; this keeps the first one honest (alt="" for decoration)
    for path in _pages(site):
        for img in soup(path).find_all("img"):
            assert img.has_attr("alt"), f"{path.relative_to(site)}: {img}"


def _heading_levels(path: Path) -> list[int]:
    """Levels of the headings of the page's main content, as a screen reader lists them."""
    main = soup(path).select_one("main#main-content")
    assert main is not None, path
    for hidden in main.select(".onlyprint"):  # sphinx-book-theme's print-only copy of the title
        hidden.decompose()
    return [int(h.name[1]) for h in main.find_all(HEADINGS)]


def test_main_content_headings_start_at_h1_and_skip_no_level(site):
    for path in _pages(site):
        levels = _heading_levels(path)
        name = path.relative_to(site).as_posix()
        assert levels and levels[0] == 1, f"{name}: {levels}"
        assert levels.count(1) == 1, f"{name}: {levels}"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{name}: h{before} followed by h{after} in {levels}"


# -- axe-core in Chromium ---------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        message = f"{AXE.relative_to(REPO)} is missing: run `npm ci` (package.json pins axe-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.fixture(scope="module")
def pages_to_audit(site) -> dict[str, str]:
    category = sorted((site / "blog" / "category").glob("*.html"))[0]
    return {
        "home": "index.html",
        "post": math_and_code_post(site),
        "category": category.relative_to(site).as_posix(),
        "search": "search.html?q=" + quote("强化学习"),
    }


def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("which", ["home", "post", "category", "search"])
def test_axe_finds_no_serious_or_critical_violation(browser, base_url, pages_to_audit, axe_source, which, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # the theme reads the reader's choice from localStorage before the first paint
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    page.goto(base_url + pages_to_audit[which])
    if which == "search":
        page.locator("#search-results ul.search li").first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-theme") == mode
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in result["violations"] if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        print(f"axe, {which} ({mode}), not blocking:\n{_report(others)}")
    assert not blocking, f"axe on {which} ({mode}):\n{_report(blocking)}"
    # axe really ran its rules on the page
    assert result["testEngine"]["name"] == "axe-core"
    assert len(result["passes"]) > 20
