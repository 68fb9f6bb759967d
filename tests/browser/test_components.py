"""Tabs and dropdowns of the writing guide (sphinx-design, _ext/zhiyuan/pages/design) work in
Chromium with the site served under its Content-Security-Policy: clicking a tab shows its panel,
a dropdown opens, and nothing is refused."""

from __future__ import annotations

import pytest
from browser import serve
from zhiyuan.theme.strict_csp import POLICY

pytestmark = [pytest.mark.browser, pytest.mark.site]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(f"uncaught: {error}"))
    yield page
    assert page.evaluate("window.__cspViolations") == []
    assert page.errors == []
    context.close()


def test_clicking_a_tab_shows_its_panel(page, base_url):
    page.goto(base_url + "guide.html")
    tabs = page.locator("#guide-design .sd-tab-set").first
    first, second = tabs.locator(".sd-tab-content").nth(0), tabs.locator(".sd-tab-content").nth(1)
    assert first.is_visible() and not second.is_visible()
    tabs.locator("label.sd-tab-label", has_text="JAX").click()
    assert second.is_visible() and not first.is_visible()
    assert "jax.jit" in second.inner_text()
    # sphinx-design's script ran (deferred, from the site): it keeps the choice for synced tabs
    assert page.evaluate("typeof sd_id_to_elements") == "object"


def test_a_dropdown_opens_and_its_content_was_there_all_along(page, base_url):
    page.goto(base_url + "guide.html")
    details = page.locator("#guide-design details.sd-dropdown").first
    content = details.locator(".sd-summary-content")
    assert "基线" in content.text_content()  # in the page while closed
    assert not content.is_visible()
    details.locator("summary").click()
    assert content.is_visible()
