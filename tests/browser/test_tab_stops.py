"""zhiyuan.theme.tab_stops in Chromium, on a phone: a code block or table that scrolls sideways
is a tab stop and one that fits is not, decided once it comes near the viewport; before that,
every one is a tab stop (a keyboard can always reach what scrolls).  Served under the site's
Content-Security-Policy; no error, nothing refused."""

from __future__ import annotations

import pytest
from browser import serve, watched_page
from zhiyuan.theme.strict_csp import POLICY

from helpers import math_and_code_post

pytestmark = [pytest.mark.browser, pytest.mark.site]

SCROLLABLE = "pre, .pst-scrollable-table-container"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    with watched_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True) as page:
        yield page


def _decided(element, expected: int) -> None:
    """Wait until *element*'s tab index is *expected* (our script decides in an observer's callback)."""
    element.evaluate(
        "(e, expected) => new Promise(resolve => { const check = () => e.tabIndex === expected ? resolve() :"
        " requestAnimationFrame(check); check(); })",
        expected,
    )


def _check_near_the_viewport(page) -> tuple[int, int]:
    """Bring each code block and table into view and wait for its decision: (scrolls, fits)."""
    elements = page.locator(SCROLLABLE)
    scrolls = fits = 0
    for index in range(elements.count()):
        element = elements.nth(index)
        element.scroll_into_view_if_needed()
        overflows = element.evaluate("e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight")
        _decided(element, 0 if overflows else -1)
        scrolls, fits = scrolls + overflows, fits + (not overflows)
    return scrolls, fits


def test_what_scrolls_is_a_tab_stop_and_what_fits_is_not_also_after_a_resize(page, base_url, site):
    page.goto(base_url + math_and_code_post(site))
    elements = page.locator(SCROLLABLE)
    assert elements.count() > 2
    # far below the first screen: not decided yet, so reachable
    assert elements.nth(elements.count() - 1).evaluate("e => e.tabIndex") == 0
    on_phone = _check_near_the_viewport(page)
    assert on_phone[0] > 0  # code lines are wider than a phone
    page.set_viewport_size({"width": 1400, "height": 900})
    on_desktop = _check_near_the_viewport(page)
    assert on_desktop[1] > on_phone[1]  # some fit once the window is wider, and lost their tab stop


def test_tab_reaches_a_code_block_that_scrolls_and_arrows_scroll_it(page, base_url, site):
    page.goto(base_url + math_and_code_post(site))
    wide = page.evaluate("() => [...document.querySelectorAll('pre')].findIndex(e => e.scrollWidth > e.clientWidth)")
    assert wide >= 0, "no code block scrolls sideways on a phone"
    target = page.locator("pre").nth(wide)
    target.scroll_into_view_if_needed()
    _decided(target, 0)
    target.focus()
    page.keyboard.press("Shift+Tab")
    assert not target.evaluate("e => document.activeElement === e")
    page.keyboard.press("Tab")  # back: the code block is a stop in the tab order
    assert target.evaluate("e => document.activeElement === e")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=target.element_handle())
