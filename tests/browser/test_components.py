"""Tabs, dropdowns and figures of the writing guide (_ext/zhiyuan/pages/design, pages/figures)
work in Chromium with the site served under its Content-Security-Policy: clicking a tab shows its
panel, a dropdown opens, a figure zooms and closes again, and nothing is refused."""

from __future__ import annotations

import pytest
from browser import serve, watched_page
from zhiyuan.theme.strict_csp import POLICY

pytestmark = [pytest.mark.browser, pytest.mark.site]

@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


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


def test_a_figure_zooms_on_a_click_and_on_enter_and_closes(page, base_url):
    page.goto(base_url + "guide.html")
    image = page.locator("#guide-writing-flow img.zy-zoom")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0  # loaded once in view
    # the box reserved from width/height has the file's ratio (640 × 150)
    box = image.bounding_box()
    assert abs(box["width"] / box["height"] - 640 / 150) < 0.05
    image.click()
    overlay = page.locator(".zy-zoom-overlay[role=dialog]")
    assert overlay.is_visible()
    assert overlay.get_attribute("aria-label").startswith("放大的图片：三个方框")
    assert overlay.locator("img").bounding_box()["width"] > box["width"]
    page.keyboard.press("Escape")
    assert overlay.count() == 0
    assert page.evaluate("document.activeElement.classList.contains('zy-zoom')")
    page.keyboard.press("Enter")
    assert overlay.is_visible()
    overlay.click()
    assert overlay.count() == 0
