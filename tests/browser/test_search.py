"""Search as a reader uses it, in headless Chromium: results as one types, in the header's dialog
and on search.html, with the article's own text as snippet; synonyms; escaping; the keyboard;
nothing fetched before search is opened, nothing from elsewhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from helpers import build

pytestmark = [pytest.mark.browser, pytest.mark.site]

RESULTS = "#search-results"


class Reader:
    """A page that records every request it makes."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.navigations = 0
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("framenavigated", lambda frame: frame == self.page.main_frame and self._navigated())
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def _navigated(self) -> None:
        self.navigations += 1

    def search_data(self) -> list[str]:
        return [url for url in self.requests if "/_search/" in url]

    def close(self) -> None:
        self.context.close()


def _type_on_search_page(page, query: str) -> None:
    page.fill(".zs-search-page input[name=q]", query)
    page.wait_for_function(
        "(q) => { const r = document.querySelector('#search-results');"
        " return r.dataset.query === q && r.dataset.snippets === 'done'; }", arg=query)


def _docnames(page, selector: str) -> list[str]:
    return [re.sub(r"\.html(#.*)?$", "", urlparse(href).path.lstrip("/"))
            for href in page.eval_on_selector_all(f"{selector} a.zs-link", "links => links.map((a) => a.href)")]


def test_the_header_search_shows_results_as_one_types_without_a_page_load(browser, base_url):
    reader = Reader(browser)
    page = reader.page
    page.goto(base_url + "posts/2025/dpo.html")
    page.wait_for_load_state("networkidle")
    assert reader.search_data() == []  # nothing until search is opened
    loads = reader.navigations
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    field.press_sequentially("梯度检查")
    page.keyboard.type("点")
    first = page.locator("#pst-search-dialog .zs-result a.zs-link").first
    first.wait_for()
    page.wait_for_function("() => document.querySelector('#pst-search-dialog .zs-panel').dataset.snippets === 'done'")
    assert reader.navigations == loads  # no page load
    assert "posts/2025/gradient-checkpointing.html" in first.get_attribute("href")
    assert first.locator(".zs-snippet mark").count() > 0
    assert first.locator(".zs-meta").inner_text().startswith("Large Model")
    assert "_search/index.json" in " ".join(reader.search_data())
    # ↓ moves into the results, Esc back to the field, Enter opens the result with the focus
    field.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('zs-link')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.name") == "q"
    field.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/posts/2025/gradient-checkpointing\.html(#.*)?$"))
    assert {urlparse(url).hostname for url in reader.requests} == {"127.0.0.1"}
    reader.close()


def test_a_snippet_is_the_articles_own_text_with_the_terms_marked(browser, base_url):
    reader = Reader(browser)
    page = reader.page
    page.goto(base_url + "search.html")
    _type_on_search_page(page, "优势函数")
    first = page.locator(f"{RESULTS} a.zs-link").first
    snippet = first.locator(".zs-snippet").inner_text().strip("…")
    marked = first.locator(".zs-snippet mark").all_inner_texts()
    assert marked and all(text.lower() in "优势函数 advantage function" for text in marked)
    assert "本页目录" not in snippet and "跟随系统" not in snippet  # never the theme's chrome
    page.goto(first.get_attribute("href"))
    article = re.sub(r"\s+", "", page.locator("article").inner_text())
    # word for word, but for the formulas the index leaves out (where the snippet has a space)
    pieces = [piece for piece in snippet.replace("[公式]", " ").split() if len(piece) > 1]
    assert pieces and all(piece in article for piece in pieces), pieces
    reader.close()


@pytest.mark.parametrize(("query", "answers"), [
    ("GPU memory", {"posts/2025/llm-training-memory-zero", "posts/2025/gradient-checkpointing",
                    "posts/2025/mixed-precision-training"}),
    ("激活检查点", {"posts/2025/gradient-checkpointing"}),
    ("投机解码", {"posts/2026/multi-token-prediction"}),
])
def test_a_synonym_from_the_glossary_finds_the_article(browser, base_url, query, answers):
    reader = Reader(browser)
    page = reader.page
    page.goto(base_url + "search.html")
    _type_on_search_page(page, query)
    assert _docnames(page, RESULTS)[0] in answers
    reader.close()


def test_the_search_page_reads_and_writes_its_url_and_filters_by_category(browser, base_url):
    reader = Reader(browser)
    page = reader.page
    page.goto(base_url + "search.html?q=" + quote("强化学习"))
    page.wait_for_function("() => document.querySelector('#search-results').dataset.state === 'done'")
    everything = _docnames(page, RESULTS)
    assert len(everything) > 5
    page.select_option(".zs-search-page select[name=category]", "Python")
    page.wait_for_function("() => document.querySelector('#search-results').dataset.state === 'done'")
    python = _docnames(page, RESULTS)
    categories = page.locator(f"{RESULTS} .zs-meta").all_inner_texts()
    assert python and all(text.startswith("Python") for text in categories)
    assert "category=Python" in page.url and "q=" + quote("强化学习") in page.url
    _type_on_search_page(page, "pdb")
    assert "q=pdb" in page.url
    assert page.evaluate("document.activeElement.name") == "q"
    reader.close()


def test_the_magnifier_does_not_cover_what_is_typed(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "search.html")
    icon = page.locator(".zs-search-page form.bd-search .fa-magnifying-glass").bounding_box()
    assert icon["width"] > 0
    field = page.locator(".zs-search-page form.bd-search input[name=q]")
    box = field.bounding_box()
    padding = float(field.evaluate("f => getComputedStyle(f).paddingLeft").removesuffix("px"))
    assert icon["x"] + icon["width"] <= box["x"] + padding
    page.close()


@pytest.fixture(scope="module")
def hostile_site(rootdir, tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("search") / "src"
    shutil.copytree(rootdir / "test-search", src)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def test_a_hostile_title_and_text_appear_escaped(browser, hostile_site):
    from browser import serve

    with serve(hostile_site) as url:
        reader = Reader(browser)
        page = reader.page
        page.goto(url + "search.html?q=" + quote("转义 alert"))
        page.wait_for_function("() => document.querySelector('#search-results').dataset.snippets === 'done'")
        title = page.locator(f"{RESULTS} .zs-title").first.inner_text()
        assert title == '转义 <b>粗体</b> & "引号" <img src=x onerror=alert(1)>'
        assert page.locator(f"{RESULTS} b, {RESULTS} img, {RESULTS} script").count() == 0
        assert reader.dialogs == []
        reader.close()


def test_results_on_a_phone_in_dark_mode(browser, base_url):
    from helpers import REPO

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "index.html")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.locator("button.search-button__button:visible").first.tap()
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    field.fill("混合精度")
    panel = page.locator("#pst-search-dialog .zs-panel")
    page.wait_for_function("() => document.querySelector('#pst-search-dialog .zs-panel').dataset.snippets === 'done'")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # no sideways scrolling
    first = panel.locator("a.zs-link").first
    assert first.is_visible() and "mixed-precision-training" in first.get_attribute("href")
    # dark text on a dark panel would be unreadable: the theme's dark colours apply
    colours = first.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a.closest('.zs-panel')).backgroundColor]")
    assert colours[0] != colours[1]
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "test-artifacts" / "search-phone-dark.png"))
    context.close()
