"""zhiyuan.theme.controls in Chromium, the site served under its Content-Security-Policy, with no
Bootstrap: the colour-mode menu opens and closes with the mouse and the keyboard as Bootstrap's
dropdown did (aria-expanded, arrows, Escape back to the button, a click outside, the focus
leaving it), choosing dark mode sets html[data-theme=dark] and stays after a reload; the
back-to-top button shows while scrolling up and takes the reader to the top; tooltips are the
buttons' own titles.  No error, nothing refused; no page references Bootstrap's script, and
none holds what pydata's script would call Bootstrap for."""

from __future__ import annotations

import pytest
from browser import serve, watched_page
from zhiyuan.compat.pydata_sphinx_theme import NEEDS_BOOTSTRAP
from zhiyuan.theme.strict_csp import POLICY

from helpers import soup

pytestmark = [pytest.mark.browser, pytest.mark.site]

POST = "posts/2025/dpo.html"
TOGGLE = ".theme-switch-button"
MENU = ".theme-switch-container .dropdown-menu"
ITEMS = ".theme-switch-container .theme-change-button"
MODES = ["auto", "light", "dark"]  # the items' order


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _watched(browser, base_url, viewport):
    """The post in a watched page (no error, nothing refused), with no Bootstrap."""
    phone = viewport["width"] < 500
    with watched_page(browser, viewport=viewport, is_mobile=phone, has_touch=phone) as page:
        page.goto(base_url + POST)
        assert page.evaluate("typeof window.bootstrap") == "undefined"
        page.phone = phone
        yield page


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, base_url):
    yield from _watched(browser, base_url, request.param)


@pytest.fixture
def phone(browser, base_url):
    yield from _watched(browser, base_url, PHONE)


def _open(page) -> bool:
    menu_open = page.locator(MENU).evaluate("m => m.classList.contains('show') && getComputedStyle(m).display !== 'none'")
    assert page.locator(TOGGLE).get_attribute("aria-expanded") == ("true" if menu_open else "false")
    return menu_open


def _focused_mode(page) -> str | None:
    return page.evaluate("document.activeElement.dataset.mode || null")


def _toggle_focused(page) -> bool:
    return page.locator(TOGGLE).evaluate("t => document.activeElement === t")


def test_a_click_opens_and_closes_the_menu_and_a_click_outside_closes_it(page):
    assert not _open(page)
    title = page.locator(".theme-switch-container").get_attribute("title")
    assert title  # the browser's tooltip for the menu
    page.locator(TOGGLE).click()
    assert _open(page)
    assert page.locator(f"{ITEMS}[data-mode=dark]").is_visible()
    # the container's title would cover the items while the menu is open
    assert page.locator(".theme-switch-container").get_attribute("title") is None
    page.locator(TOGGLE).click()
    assert not _open(page)
    assert page.locator(".theme-switch-container").get_attribute("title") == title
    page.locator(TOGGLE).click()
    x, y = 20, page.viewport_size["height"] - 20  # the article's text, far from the menu
    page.touchscreen.tap(x, y) if page.phone else page.mouse.click(x, y)
    assert not _open(page)


def test_choosing_dark_with_the_mouse_sets_it_and_it_stays_after_a_reload(page):
    page.locator(TOGGLE).click()
    page.locator(f"{ITEMS}[data-mode=dark]").click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert not _open(page)
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert page.locator("html").get_attribute("data-mode") == "dark"
    page.locator(TOGGLE).click()
    assert "active" in page.locator(f"{ITEMS}[data-mode=dark]").get_attribute("class")


def test_the_keyboard_opens_moves_through_and_closes_the_menu(page):
    page.locator(TOGGLE).focus()
    page.keyboard.press("Enter")
    assert _open(page)
    assert _toggle_focused(page)
    page.keyboard.press("Escape")
    assert not _open(page)
    assert _toggle_focused(page)
    # ArrowDown from the button opens the menu on its first item; arrows stop at either end
    page.keyboard.press("ArrowDown")
    assert _open(page)
    seen = [_focused_mode(page)]
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        seen.append(_focused_mode(page))
    assert seen == [*MODES, MODES[-1]]
    page.keyboard.press("ArrowUp")
    assert _focused_mode(page) == MODES[1]
    page.keyboard.press("Escape")
    assert not _open(page)
    assert _toggle_focused(page)
    # ArrowUp from the button: the last item
    page.keyboard.press("ArrowUp")
    assert _open(page)
    assert _focused_mode(page) == MODES[-1]
    # the focus leaving the menu closes it
    page.keyboard.press("Tab")
    assert not _open(page)
    assert page.evaluate("!document.activeElement.closest('.theme-switch-container')")


def test_choosing_dark_with_the_keyboard_sets_it_and_gives_the_focus_back(page):
    page.locator(TOGGLE).focus()
    page.keyboard.press("ArrowUp")  # the last item: 暗色
    assert _focused_mode(page) == "dark"
    page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    assert not _open(page)
    assert _toggle_focused(page)
    page.reload()
    assert page.locator("html").get_attribute("data-theme") == "dark"


def test_back_to_top_shows_while_scrolling_up_and_goes_to_the_top(phone):
    """On a phone (sphinx-book-theme shows the button only on narrow screens)."""
    button = phone.locator("#pst-back-to-top")
    assert button.is_hidden()
    phone.mouse.move(PHONE["width"] // 2, PHONE["height"] // 2)
    phone.mouse.wheel(0, 3000)
    phone.wait_for_function("() => window.scrollY > 2000")
    assert button.is_hidden()  # scrolling down
    phone.mouse.wheel(0, -500)
    button.wait_for(state="visible")
    button.click()
    phone.wait_for_function("() => window.scrollY === 0")
    button.wait_for(state="hidden")


def test_tooltips_are_the_buttons_own_titles(page):
    button = page.locator('button[data-bs-toggle="tooltip"]:visible').first
    title = button.get_attribute("title")
    assert title
    button.hover()
    page.wait_for_timeout(700)  # longer than Bootstrap's tooltip delay
    assert page.locator(".tooltip").count() == 0
    assert button.get_attribute("title") == title


def test_no_page_references_bootstraps_script_or_needs_it(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "bootstrap.js" not in html, path
        if "pst-collapse-sidebar-button" in html:  # the cheap test first, the selector to be sure
            assert soup(path).select_one(NEEDS_BOOTSTRAP) is None, path
