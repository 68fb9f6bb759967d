"""Accessibility of the built site in Chromium: axe-core's rules.

axe-core comes from npm (package.json pins it; `npm ci` installs it, as nox does).
Its rules run in light and dark mode on the home page, a post with math and code,
a category archive and a search results page; no violation of impact "serious" or
"critical" is allowed.  (Static checks of every page: tests/site/test_accessibility.py.)
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from helpers import REPO, math_and_code_post

pytestmark = [pytest.mark.site]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


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
        page.locator("#search-results li.zs-result .zs-snippet mark").first.wait_for(timeout=15000)
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


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violation_with_a_hover_preview_open(browser, base_url, axe_source, mode):
    """A glossary term's preview (zhiyuan.pages.previews) open over a post: nothing in it, nor in
    the page around it, breaks a rule."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    page.goto(base_url + "posts/2025/dpo.html")
    page.locator("article a.zy-preview", has_text="奖励模型").first.hover()
    tip = page.locator("#zy-preview")
    tip.wait_for(state="visible")
    # the pointer rests on the preview (it stays open), not on the link: the theme's hover colour
    # of links is not what is audited here
    tip.hover()
    page.wait_for_timeout(400)
    assert tip.is_visible()
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    in_preview = page.evaluate("axe.run('#zy-preview', {resultTypes: ['violations']})")
    context.close()
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe with a preview open ({mode}):\n{_report(blocking)}"
    assert not in_preview["violations"], f"axe in the preview ({mode}):\n{_report(in_preview['violations'])}"
    assert len(in_preview["passes"]) > 3
