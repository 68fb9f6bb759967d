"""The page's own table of contents: pydata's, built with lxml; it and the post card shown without a trial render."""

from __future__ import annotations

import html
import itertools

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from pydata_sphinx_theme.toctree import add_toctree_functions

from zhiyuan.theme.portal.page_toc import page_toc, use_page_toc

from helpers import soup


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("page-toc", freshenv=True)


def _toc(app, page: str):
    return soup(app.outdir / f"{page}.html").select_one("nav#pst-page-toc-nav")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_a_post_lists_its_sections_under_its_title(app):
    toc = _toc(app, "posts/2025/sections")
    entries = [(li["class"], " ".join(li.a.get_text().split()), li.a["href"]) for li in toc.select("li")]
    page = soup(app.outdir / "posts/2025/sections.html")
    assert [classes[0] for classes, _, _ in entries] == ["toc-h2", "toc-h3", "toc-h2"]
    assert [title for _, title, _ in entries] == ["学习率 lr 与 步长 & \"动量\"", "衰减策略", "收敛"]
    assert [page.select_one(f"section[id='{href[1:]}'] > :is(h2, h3)") is not None for _, _, href in entries] == [
        True, True, True]
    assert all({"nav-item", "toc-entry"} <= set(classes) for classes, _, _ in entries)
    assert len(toc.select("li > a.reference.internal.nav-link")) == 3
    top, nested = toc.select("ul")
    assert top["class"] == ["pst-show_toc_level", "nav", "section-nav", "flex-column"]
    assert nested["class"] == ["nav", "section-nav", "flex-column"]  # level 3 > show_toc_level + 1


def test_markup_in_a_heading_stays_markup_and_text_stays_text(app):
    link = _toc(app, "posts/2025/sections").select_one("li.toc-h2 a")
    assert link.select_one("code").get_text() == "lr"
    assert link.select_one("b").get_text() == "步长"  # the author's inline HTML, as in the heading
    assert "&" in link.get_text() and '"' in link.get_text()


def test_the_toc_is_rendered_once(app):
    """Its emptiness is known without pydata's trial render, which took the first id of its heading."""
    toc = _toc(app, "posts/2025/sections")
    assert toc["aria-labelledby"] == "pst-page-navigation-heading"
    assert soup(app.outdir / "posts/2025/sections.html").select_one("#pst-page-navigation-heading") is not None


def test_a_page_with_only_its_title_has_no_toc_nor_toggle(app):
    page = soup(app.outdir / "posts/2025/title-only.html")
    assert page.select_one("nav#pst-page-toc-nav") is None
    assert page.select_one("button.secondary-toggle") is None
    assert soup(app.outdir / "posts/2025/sections.html").select_one("button.secondary-toggle") is not None


def test_a_page_with_two_top_level_headings_lists_both(app):
    toc = _toc(app, "index")
    assert [a.get_text() for a in toc.select("li.toc-h1 > a")] == ["首页", "第二个一级标题"]


def test_the_post_card_is_on_posts_only_and_no_sidebar_item_is_empty(app):
    for page in ("posts/2025/sections", "posts/2025/title-only"):
        assert soup(app.outdir / f"{page}.html").select_one(".ablog__postcard") is not None, page
    assert soup(app.outdir / "posts/about-posts.html").select_one(".ablog__postcard") is None
    for page in ("posts/2025/sections", "posts/2025/title-only", "posts/about-posts", "index"):
        items = soup(app.outdir / f"{page}.html").select(".sidebar-primary-item")
        assert items and all(item.find(True) is not None for item in items), page


# -- the same result as pydata-sphinx-theme's generate_toc_html ----------------


def _pydata_and_ours(fragment: str, show_toc_level: int):
    pydata = {"toc": fragment, "theme_show_toc_level": show_toc_level}
    add_toctree_functions(None, "page", "page.html", pydata, None)
    ours = dict(pydata)
    use_page_toc(ours)
    return pydata["generate_toc_html"](), ours["generate_toc_html"]()


_titles = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12)
_trees = st.recursive(st.just([]), lambda children: st.lists(st.tuples(_titles, children), min_size=1, max_size=3),
                      max_leaves=12)


_ids = itertools.count()


def _fragment(entries) -> str:
    """A local TOC as Sphinx renders it: nested lists of internal links (to readable Chinese ids,
    web/readable_anchors.py), text escaped."""
    if not entries:
        return ""
    items = "".join(
        f'<li><a class="reference internal" href="#节-{next(_ids)}">{html.escape(title)}</a>{_fragment(sub)}</li>\n'
        for title, sub in entries)
    return f"<ul>\n{items}</ul>\n"


def _normalised(toc) -> str:
    return BeautifulSoup(str(toc), "html.parser").decode().strip()


@settings(max_examples=200, deadline=None)
@given(entries=_trees.filter(bool), show_toc_level=st.integers(0, 3))
def test_the_toc_is_pydatas(entries, show_toc_level):
    expected, actual = _pydata_and_ours(_fragment(entries), show_toc_level)
    # the same elements, attributes and text (serialised alike; lxml drops the fragment's final newline)
    assert _normalised(actual) == _normalised(expected)
    # what the templates test: `page_toc | length >= 1` and `if page_toc`
    assert (len(actual) >= 1) == (len(expected) >= 1)
    assert bool(actual) == bool(expected)


def test_other_shapes_are_left_to_pydata():
    assert page_toc("<p>not a list</p>", 1) is None
    assert page_toc('<ul><li><a href="#a">a</a><div><ul><li>deep</li></ul></div></li></ul>', 1) is None
    expected, actual = _pydata_and_ours("<p>not a list</p>", 1)
    assert str(actual) == str(expected)
