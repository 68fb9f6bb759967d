"""The built site works under a strict Content-Security-Policy (_ext/zhiyuan/theme/strict_csp).

Headless Chromium against the site served with POLICY: no violation reported, nothing
requested off the site, and the pages still work (search, theme switcher, copy buttons,
icons as inline SVG and SVG masks, no icon font, math).  The static checks of every page are in tests/site/test_csp.py.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from zhiyuan.theme.strict_csp import POLICY

from browser import host_of, serve
from helpers import math_and_code_post

pytestmark = [pytest.mark.site]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


# -- in the browser ------------------------------------------------------------


def _category_page(site: Path) -> str:
    return sorted((site / "blog" / "category").glob("*.html"))[0].relative_to(site).as_posix()


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


class Visit:
    """A browser page under the policy that records violations, CSP console errors and requests."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.hosts: set[str] = set()
        self.requests: list[tuple[str, str]] = []  # (resource type, URL)
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        self.page.on("request", lambda request: self.hosts.add(host_of(request.url)))
        self.page.on("request", lambda request: self.requests.append((request.resource_type, request.url)))

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def violations(self) -> list:
        return self.page.evaluate("window.__cspViolations")

    def assert_clean(self, what: str) -> None:
        refused = [m for m in self.console if "Refused to" in m or "Content Security Policy" in m or m.startswith("uncaught")]
        assert self.violations() == [], f"{what}: CSP violations {self.violations()}"
        assert refused == [], f"{what}: {refused}"
        assert self.hosts <= {"127.0.0.1"}, f"{what}: requests to {self.hosts}"

    def close(self) -> None:
        self.context.close()


@pytest.mark.browser
def test_the_violation_collector_sees_a_blocked_inline_script(browser, base_url):
    """Control: the checks below would notice a violation."""
    visit = Visit(browser)
    page = visit.open(base_url + "index.html")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true;";
            document.head.append(script);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert [v["directive"] for v in visit.violations()] == ["script-src-elem"]
    visit.close()


def _check_common(page, pagename: str) -> None:
    """What every page's scripts do: options, colour mode, icons, translations."""
    assert page.evaluate("DOCUMENTATION_OPTIONS.pagename") == pagename
    assert page.evaluate("DOCUMENTATION_OPTIONS.search_as_you_type") is False
    assert page.evaluate("document.documentElement.dataset.mode") in {"auto", "light", "dark"}
    assert page.evaluate("document.documentElement.dataset.theme") in {"light", "dark"}
    # the icons are inline SVG (_ext/zhiyuan/theme/icons/), with no script, no <style> and no font
    assert page.evaluate("typeof FontAwesome") == "undefined"
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.locator("i.fa-solid, span.fa-solid").count() == 0
    icons = page.locator("svg.zy-icon:visible")
    assert icons.count() >= 3  # the header's: menu, colour mode, contents or search
    for index in range(icons.count()):
        box = icons.nth(index).bounding_box()
        assert box["width"] > 0 and box["height"] > 0
    assert page.evaluate("[...document.fonts].filter(face => face.family.includes('Font Awesome')).length") == 0
    # Sphinx's translations loaded without eval
    assert page.evaluate("Documentation.LOCALE") == "zh_Hans_CN"
    assert page.evaluate("Documentation.PLURAL_EXPR(5)") == 0
    assert page.evaluate("Documentation.gettext('Search Results')") == "搜索结果"


@pytest.mark.browser
def test_home_page(browser, base_url):
    visit = Visit(browser)
    page = visit.open(base_url + "index.html")
    _check_common(page, "index")
    assert page.locator("section.latest-updates article.latest-update").count() > 0
    visit.assert_clean("index.html")
    visit.close()


@pytest.mark.browser
def test_post_with_math_and_code(browser, site, base_url):
    path = math_and_code_post(site)
    visit = Visit(browser, permissions=["clipboard-read", "clipboard-write"])
    page = visit.open(base_url + path)
    _check_common(page, path.removesuffix(".html"))
    # KaTeX's inline style attributes apply (style-src-attr)
    styled = page.locator(".katex [style]").first
    assert styled.evaluate("el => el.style.cssText") != ""
    # copy button: added by copybutton.js, copies the block's code
    block = page.locator("article div.highlight").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    code = block.locator("pre").inner_text()
    assert copied.strip()
    assert all(line in code for line in copied.splitlines())
    # theme switcher: pydata's script still runs
    page.locator(".theme-switch-button").first.click()
    page.locator('.theme-change-button[data-mode="dark"]').first.click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    # the post's JSON-LD is a data block: readable, never run, so no script-src violation
    article = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert article["@type"] == "Article" and article["headline"]
    visit.assert_clean(path)
    _assert_no_icon_font(visit)
    visit.close()


def _assert_no_icon_font(visit: Visit) -> None:
    fonts = [url for kind, url in visit.requests if kind == "font"]
    assert fonts and not [url for url in fonts if "/fa-" in url or "fontawesome" in url], fonts


@pytest.mark.browser
def test_a_github_link_draws_its_icon_from_an_svg_file(browser, site, base_url):
    # pydata's sheet drew it in Font Awesome's brands font; now a mask of _static/icons/
    path = next(page.relative_to(site).as_posix() for page in sorted((site / "posts").rglob("*.html"))
                if 'class="github reference external"' in page.read_text(encoding="utf-8"))
    visit = Visit(browser)
    page = visit.open(base_url + path)
    link = page.locator("article a.github").first
    link.scroll_into_view_if_needed()
    mask = link.evaluate("a => getComputedStyle(a, '::before').maskImage")
    assert "icons/brands-github.svg" in mask
    assert link.evaluate("a => parseFloat(getComputedStyle(a, '::before').width)") > 0
    # fetched once laid out, under the policy (assert_clean); Resource Timing does not list masks
    for _ in range(50):
        if any(url.endswith("/_static/icons/brands-github.svg") for _, url in visit.requests):
            break
        page.wait_for_timeout(100)
    assert any(url.endswith("/_static/icons/brands-github.svg") for _, url in visit.requests)
    visit.assert_clean(path)
    visit.close()


@pytest.mark.browser
def test_category_archive(browser, site, base_url):
    path = _category_page(site)
    visit = Visit(browser)
    page = visit.open(base_url + path)
    _check_common(page, path.removesuffix(".html"))
    assert page.locator("article a[href*='posts/']").count() > 0
    visit.assert_clean(path)
    visit.close()


@pytest.mark.browser
def test_search_finds_articles(browser, base_url):
    visit = Visit(browser)
    page = visit.open(base_url + "search.html?q=" + quote("梯度"))
    results = page.locator("#search-results li.zs-result")
    results.first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    _check_common(page, "search")
    assert results.count() > 3
    first = results.first.locator("a").first
    assert "/posts/" in first.evaluate("a => a.href")
    assert "梯度" in first.inner_text()
    # the search field got the focus (zhiyuan-search.js, not an inline script)
    assert page.evaluate("document.activeElement.name") == "q"
    visit.assert_clean("search.html")
    visit.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("expression", "values"),
    [
        ("0", {0: 0, 1: 0, 7: 0}),
        ("n != 1", {0: 1, 1: 0, 2: 1}),
        (
            "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
            {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 112: 2},
        ),
    ],
)
def test_plural_expressions_are_evaluated_without_eval(browser, base_url, expression, values):
    visit = Visit(browser)
    page = visit.open(base_url + "index.html")
    got = page.evaluate(
        "([source, ns]) => ns.map(Documentation.compilePlural(source))",
        [expression, list(values)],
    )
    assert dict(zip(values, got)) == values
    with pytest.raises(Exception, match="unsupported plural expression"):
        page.evaluate("Documentation.compilePlural('alert(1)')")
    visit.assert_clean("index.html")
    visit.close()
