"""Hover previews (_ext/zhiyuan/pages/previews) in Chromium, the site served under its
Content-Security-Policy: hovering a glossary term in a post shows the term's definition beside it,
keyboard focus (Tab) shows it too and Escape closes it; the writing guide's equation, footnote and
figure references show the formula, the note and the figure; the preview is legible in dark mode;
on a phone a tap follows the link.  Nothing is refused by the policy, nothing is logged as an
error, nothing is requested from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from browser import serve, watched_page
from helpers import soup
from zhiyuan.theme.strict_csp import POLICY

pytestmark = [pytest.mark.browser, pytest.mark.site]

POST = "posts/2025/dpo.html"
TERM = "奖励模型"
TIP = "#zy-preview"


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.fixture(scope="module")
def definition(site) -> str:
    """The start of the glossary's definition of TERM, as its page shows it."""
    glossary = soup(site / "glossary.html")
    term = next(
        dt
        for dt in glossary.select("dl.glossary dt")
        if dt.get_text().rstrip("#") == TERM
    )
    return term.find_next_sibling("dd").get_text(" ", strip=True)[:20]


VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture
def page(browser):
    with watched_page(browser, viewport=VIEWPORT) as page:
        yield page


def _term(page):
    return page.locator("article a.zy-preview", has_text=TERM).first


def test_hovering_a_glossary_term_shows_its_definition_beside_it(
    page, base_url, definition
):
    page.goto(base_url + POST)
    link, tip = _term(page), page.locator(TIP)
    link.hover()
    tip.wait_for(state="visible")
    assert tip.get_attribute("role") == "tooltip"
    text = tip.inner_text()
    assert text.startswith(TERM) and "Reward Model" in text  # all the entry's names
    assert definition in " ".join(text.split())
    assert link.get_attribute("aria-describedby") == "zy-preview"
    # below (or above) the link, inside the window
    near, box = link.bounding_box(), tip.bounding_box()
    assert box["y"] >= near["y"] + 10 or box["y"] + box["height"] <= near["y"]
    assert (
        0 <= box["x"]
        and box["x"] + box["width"] <= 1280
        and box["y"] + box["height"] <= 900
    )
    # the pointer can move onto the preview; leaving both closes it
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(400)
    assert tip.is_visible()
    page.mouse.move(5, 890)
    tip.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None


def test_tab_shows_the_preview_and_escape_closes_it(page, base_url, definition):
    page.goto(base_url + POST)
    link, tip = _term(page), page.locator(TIP)
    # focus the link before it, then Tab as a reader would
    link.evaluate(
        """link => {
            const links = [...document.querySelectorAll("a[href]")];
            links[links.indexOf(link) - 1].focus();
        }"""
    )
    page.keyboard.press("Tab")
    assert link.evaluate(
        "link => link === document.activeElement && link.matches(':focus-visible')"
    )
    tip.wait_for(state="visible")
    assert definition in " ".join(tip.inner_text().split())
    assert link.get_attribute("aria-describedby") == "zy-preview"
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert link.evaluate(
        "link => link === document.activeElement"
    )  # Escape moved nothing
    assert link.get_attribute("aria-describedby") is None
    # Shift+Tab and Tab again: the preview comes back with the focus
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    tip.wait_for(state="visible")


def _hover_until_shown(page, link, tip) -> None:
    """Hover *link* until its preview shows.  Scrolled to, the link may still move once from
    under the pointer: the blocks around it are laid out as they near the screen
    (zhiyuan.theme.later_blocks), after the pointer came; a reader moves the mouse again."""
    for _ in range(3):
        link.scroll_into_view_if_needed()
        link.hover()
        try:
            tip.wait_for(state="visible", timeout=1000)
            return
        except PlaywrightTimeoutError:
            page.mouse.move(0, 0)
    tip.wait_for(state="visible")


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ('a.zy-preview[href="#equation-guide-bt"]', "div.math .katex-display"),
        ("a.footnote-reference.zy-preview", ".zy-preview-note"),
        ('a.zy-preview[href="#guide-writing-flow"]', "figure img"),
    ],
)
def test_equation_footnote_and_figure_references_show_what_they_point_at(
    page, base_url, selector, expected
):
    page.goto(base_url + "guide.html")
    link, tip = page.locator(selector).first, page.locator(TIP)
    _hover_until_shown(page, link, tip)
    assert tip.locator(expected).count() == 1
    assert tip.locator("a, [id]").count() == 0
    if expected == ".zy-preview-note":
        assert "sigmoid" in tip.inner_text()
    if expected == "figure img":
        image = tip.locator("img")
        assert (
            image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
        )  # from the site
        assert "一篇文章从写作到上线" in tip.inner_text()


def _colours(page, selector: str) -> tuple[float, float]:
    """Contrast of an element's text with its background, and the background's luminance."""
    return tuple(
        page.evaluate(
            """(selector) => {
                const el = document.querySelector(selector);
                const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
                const style = getComputedStyle(el);
                const a = lum(rgb(style.color)), b = lum(rgb(style.backgroundColor));
                return [(Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), b];
            }""",
            selector,
        )
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_preview_is_legible_in_light_and_dark_mode(browser, base_url, mode):
    with watched_page(browser, viewport=VIEWPORT) as page:
        page.context.add_init_script(
            f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
        )
        page.goto(base_url + POST)
        assert page.locator("html").get_attribute("data-theme") == mode
        _term(page).hover()
        page.locator(TIP).wait_for(state="visible")
        contrast, background = _colours(page, TIP)
        assert contrast >= 7
        assert (background < 0.1) if mode == "dark" else (background > 0.8)


def test_on_a_phone_a_tap_follows_the_link_without_a_preview(browser, base_url):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    with watched_page(browser, **phone) as page:
        page.goto(base_url + "guide.html")
        note = page.locator("a.footnote-reference.zy-preview").first
        note.scroll_into_view_if_needed()
        note.tap()
        page.wait_for_url("**/guide.html#guide-bt-note")
        page.wait_for_timeout(600)
        assert not page.locator(TIP).is_visible()
        term = page.locator("a.zy-preview", has_text="Bradley–Terry 模型").first
        term.scroll_into_view_if_needed()
        term.tap()
        page.wait_for_url("**/glossary.html#term-*")
