"""What a reader sees and clicks, in headless Chromium against the built site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser import watched_page
from helpers import REPO, soup

pytestmark = [pytest.mark.browser, pytest.mark.site]

ARTIFACTS = REPO / "test-artifacts"


def _math_heaviest_post(site: Path) -> str:
    counts = {
        path: len(soup(path).select(".katex"))
        for path in (site / "posts").rglob("*.html")
    }
    best = max(counts, key=counts.get)
    assert counts[best] > 0
    return best.relative_to(site).as_posix()


def test_math_is_typeset_without_javascript(browser, site, base_url):
    page_path = _math_heaviest_post(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + page_path)
    assert page.locator(".katex").count() > 5
    assert page.locator(".katex-display").count() > 0
    visible = page.locator("article").inner_text()
    for raw in ("$$", "\\(", "\\[", "\\begin{"):
        assert raw not in visible
    context.close()


COPY_EXPECTED = {
    "highlight-python": "def running_mean(values):\n    total = 0.0\n    for count, value in enumerate(values, start=1):\n        total += value\n    return total / count",
    "highlight-pycon": "squares = [n * n for n in range(5)]\nfor value in squares:\n    print(value)\nsum(squares)",
    "highlight-console": "python -m venv .venv\n. .venv/bin/activate\npython --version",
    "highlight-text": "import math\n\nmath.sqrt(2)",
}


def test_copy_button_copies_exactly_the_code(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + "guide.html")
    for css_class, expected in COPY_EXPECTED.items():
        block = page.locator(f"div.{css_class} div.highlight").first
        block.hover()
        block.locator("button.copybtn").click()
        assert page.evaluate("navigator.clipboard.readText()") == expected, css_class
    numbered = page.locator("div.highlight:has(.linenos)").first
    numbered.hover()
    numbered.locator("button.copybtn").click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "import numpy as np\n\nx = np.linspace(0.0, 1.0, 5)\nprint(x.mean())"
    )
    context.close()


@pytest.mark.parametrize("query", ["梯度检查点", "混合精度", "自回归模型"])
def test_chinese_search_puts_the_right_article_first(browser, base_url, query):
    page = browser.new_page()
    page.goto(base_url + "search.html")
    box = page.locator(".bd-search-container form input[name=q]")
    box.fill(query)
    first = page.locator("#search-results a.zs-link").first
    first.wait_for(timeout=15000)
    assert "/posts/" in first.evaluate("a => a.href")
    assert query in first.inner_text()
    page.close()


def test_pages_request_nothing_but_the_site(browser, site, base_url):
    category = sorted((site / "blog/category").glob("*.html"))[0].relative_to(site).as_posix()
    with watched_page(browser) as page:  # asserts, on leaving, that only LOCAL_HOSTS were asked
        for path in ["index.html", _math_heaviest_post(site), category, "search.html?q=%E6%A2%AF%E5%BA%A6"]:
            page.goto(base_url + path)
            page.wait_for_load_state("networkidle")
        assert page.hosts  # the requests were seen


PHONE = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
#: A sheet that lays out every block at once (no content-visibility): the browser then fetches
#: every face the page draws with when it loads it.
EVERYTHING_AT_ONCE = "section, .zy-later { content-visibility: visible !important; }"
READ_TO_THE_END = """async () => {
    for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    }
    await document.fonts.ready;
}"""


def _fonts_fetched(page) -> set[str]:
    return {
        path.rsplit("/", 1)[-1]
        for path in page.evaluate("performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname)")
        if path.endswith(".woff2")
    }


@pytest.mark.parametrize("which", ["math-heaviest post", "guide.html"])
def test_a_page_fetches_no_face_but_those_it_preloads_and_every_face_it_draws_once_read(browser, site, base_url, which):
    """A phone loading the post with the most formulas, or the writing guide (formulas among
    figures, tabs and diagrams), fetches no KaTeX face besides those the page preloads (a face
    its first layout discovered would be fetched ahead of the sheet); read to the end, it has
    fetched every face the page draws with."""
    path = _math_heaviest_post(site) if which == "math-heaviest post" else which
    preloaded = {
        urlparse(link["href"]).path.rsplit("/", 1)[-1]
        for link in soup(site / path).select('link[rel="preload"][as="font"]')
    }
    assert preloaded
    # what the page draws with, by the browser's own reckoning: every block laid out at once
    context = browser.new_context(bypass_csp=True, **PHONE)
    page = context.new_page()
    page.goto(base_url + path)
    page.add_style_tag(content=EVERYTHING_AT_ONCE)
    # a layout now, so that the faces it needs are being fetched when fonts.ready is awaited
    page.evaluate("async () => { document.body.getBoundingClientRect(); await document.fonts.ready; }")
    drawn = _fonts_fetched(page)
    context.close()

    with watched_page(browser, **PHONE) as page:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        assert _fonts_fetched(page) == preloaded
        page.evaluate(READ_TO_THE_END)
        page.wait_for_load_state("networkidle")
        assert drawn <= _fonts_fetched(page)


def _contrast(page, selector: str) -> float:
    """Contrast ratio between an element's text colour and the background behind it."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
            const lum = ([r, g, b]) => {
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
            };
            let node = el, bg = null;
            while (node && node.nodeType === 1) {
                const c = rgb(getComputedStyle(node).backgroundColor);
                if (c.length < 4 || c[3] > 0) { bg = c; break; }
                node = node.parentElement;
            }
            bg = bg || [255, 255, 255];
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg);
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )


def test_dark_mode_keeps_math_and_code_legible(browser, site, base_url):
    page = browser.new_page()
    page.goto(base_url + "guide.html")
    page.locator(".theme-switch-button").first.click()
    page.locator('.theme-change-button[data-mode="dark"]').first.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    for selector in (".katex", "div.highlight pre", "article p"):
        assert _contrast(page, selector) >= 4.5, selector
    page.close()


def test_screenshots(browser, site, base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for name, path in [("home", "index.html"), ("math-post", _math_heaviest_post(site))]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        target = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    page.close()


@pytest.mark.parametrize(
    ("button", "drawer", "entry"),
    [
        (".primary-toggle", "#pst-primary-sidebar-modal", "a[href$='about.html']"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal", "#pst-page-toc-nav a.nav-link"),
    ],
)
def test_the_phone_drawers_open_from_the_article_bar(browser, site, base_url, button, drawer, entry):
    """The site navigation and the page TOC open as drawers on a phone, from the visible buttons."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + _math_heaviest_post(site))
    page.locator(f"{button}:visible").first.click()
    expect = page.locator(drawer)
    expect.wait_for(state="visible")
    assert page.evaluate(f"document.querySelector({drawer!r}).open")
    assert page.locator(f"{drawer} {entry}").first.is_visible()
    page.keyboard.press("Escape")
    assert not page.evaluate(f"document.querySelector({drawer!r}).open")
    context.close()
