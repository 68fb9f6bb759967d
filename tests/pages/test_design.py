"""Tabs, dropdowns, cards and grids (sphinx-design, _ext/zhiyuan/pages/design): rendered from
MyST colon fences without warnings, a dropdown's content in the page and in the search index."""

from __future__ import annotations

import pytest
from helpers import search_index, soup


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("design")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_tabs_render_as_radio_inputs_labels_and_panels(app):
    tabs = soup(app.outdir / "index.html").select_one("div.sd-tab-set")
    inputs = tabs.select("input[type=radio]")
    labels = tabs.select("label.sd-tab-label")
    panels = tabs.select("div.sd-tab-content")
    assert [label.get_text(strip=True) for label in labels] == ["PyTorch", "JAX"]
    assert [label["for"] for label in labels] == [i["id"] for i in inputs]
    assert [label["aria-controls"] for label in labels] == [p["id"] for p in panels]
    assert [i.has_attr("checked") for i in inputs] == [True, False]
    assert [label["data-sync-id"] for label in labels] == ["torch", "jax"]
    assert "jax.jit" in panels[1].get_text()


def test_dropdown_content_is_in_the_page(app):
    details = soup(app.outdir / "index.html").select_one("details.sd-dropdown")
    assert not details.has_attr("open")
    assert details.select_one("summary").get_text(strip=True) == "推导细节"
    assert "梯度裁剪阈值取一点零" in details.select_one(".sd-summary-content").get_text()


def test_dropdown_and_tab_content_is_searchable(app):
    # each section: anchor, heading, text, code
    texts = " ".join(section[2] for sections in search_index(app.outdir)["texts"].values() for section in sections)
    assert "梯度裁剪阈值取一点零" in texts
    assert "编译函数" in texts  # the second tab's panel


def test_cards_in_a_grid(app):
    page = soup(app.outdir / "index.html")
    row = page.select_one("div.sd-container-fluid div.sd-row")
    assert "sd-row-cols-1" in row["class"] and "sd-row-cols-md-2" in row["class"]
    titles = [t.get_text(strip=True) for t in row.select(".sd-card .sd-card-title")]
    assert titles == ["卡片一", "卡片二"]
    assert row.select(".sd-card")[1].select_one("a.sd-stretched-link")["href"] == "#"


def test_our_sheet_comes_after_sphinx_designs_and_the_print_script_is_served(app):
    page = soup(app.outdir / "index.html")
    sheets = [link["href"].split("?")[0] for link in page.select("link[rel=stylesheet]")]
    assert sheets.index("_static/zhiyuan-design.css") > sheets.index("_static/sphinx-design.min.css")
    assert (app.outdir / "_static/zhiyuan-design.css").is_file()
    assert (app.outdir / "_static/zhiyuan-design.js").is_file()
