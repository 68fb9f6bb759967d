"""Joined scripts (zhiyuan.theme.page_assets) in Chromium, served under the site's
Content-Security-Policy: fetched once the page is first drawn; every part runs, in order, with ``document.currentScript`` the joined
script's element all through it (so the parts read their data attributes from it), and nothing
is refused or reports an error."""

from __future__ import annotations

import pytest
from browser import serve, watched_page
from zhiyuan.theme.page_assets import AFTER_PAINT
from zhiyuan.theme.strict_csp import POLICY

from helpers import soup

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(build_root):
    app = build_root("joined-scripts", freshenv=True)
    assert app.warning.getvalue() == ""
    return app


@pytest.fixture(scope="module")
def base_url(app):
    with serve(app.outdir, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    with watched_page(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


def _sources(app, name: str) -> list[str]:
    """The paths (from the site's root, no query) of the scripts the built page *name* links."""
    return ["/" + tag["src"].split("?")[0] for tag in soup(app.outdir / f"{name}.html").select("script[src]")]


def test_the_scripts_are_fetched_after_the_first_contentful_paint(page, base_url, app):
    page.goto(base_url + "code.html")
    (joined,) = _sources(app, "code")[1:]
    paint, fetched = page.evaluate("""(path) => [
        performance.getEntriesByName("first-contentful-paint")[0].startTime,
        performance.getEntriesByType("resource").find((entry) => new URL(entry.name).pathname === path).startTime,
    ]""", joined)
    assert fetched >= paint
    # put back as the scripts they were: nothing of the held type is left
    assert page.locator(f'script[type="{AFTER_PAINT}"]').count() == 0


def test_each_part_runs_in_order_seeing_its_own_element_as_the_current_script(page, base_url, app):
    page.goto(base_url + "conflict.html")
    _, first, second, third = _sources(app, "conflict")
    assert first.startswith("/_static/zhiyuan-js/") and third.startswith("/_static/zhiyuan-js/")
    # zy-one.js is the last of the first joined file's parts, zy-three.js the first of the second's
    assert page.evaluate("window.zyRan") == [["one", "一", first], ["two", "二", second], ["three", None, third]]
    # strict_csp/page.js, inside the joined file, read the options from the joined script's element
    assert page.evaluate("DOCUMENTATION_OPTIONS.pagename") == "conflict"
    assert page.evaluate("document.currentScript") is None  # only while a script runs


def test_the_copy_button_and_the_theme_script_work_from_the_joined_file(page, base_url, app):
    page.goto(base_url + "code.html")
    assert len(_sources(app, "code")) == 2  # the colour-mode script and the joined one
    page.locator("div.highlight button.copybtn").first.wait_for(state="attached")
    assert page.evaluate("DOCUMENTATION_OPTIONS.pagename") == "code"
    assert page.evaluate("typeof Documentation.gettext") == "function"  # doctools.js, then translations.js
    # pydata's script (the last part) switches the colour mode from the header's menu
    page.locator(".theme-switch-button").first.click()
    page.locator('.theme-change-button[data-mode="dark"]').first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_sphinx_design_reads_its_storage_prefix_from_the_joined_element(page, base_url, app):
    page.goto(base_url + "tabs.html")
    assert page.evaluate("storageKeyPrefix") == "sphinx-design-tab-id-"
    page.locator("label.sd-tab-label", has_text="JAX").click()
    assert page.locator(".sd-tab-content", has_text="jax.jit").is_visible()
    # the choice is kept under the prefix read from the element: the script ran to its end
    assert page.evaluate("localStorage.getItem('sphinx-design-tab-id-tab')") == "jax"
