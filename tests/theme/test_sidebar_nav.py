"""The sidebar's site navigation built with lxml (_ext/zhiyuan/theme/portal/sidebar_nav.py) is pydata's, on
random toctrees as Sphinx renders them; the full site's navigation is checked by the site tests."""

from __future__ import annotations

import html
import itertools
from types import SimpleNamespace

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from pydata_sphinx_theme.toctree import add_toctree_functions

from zhiyuan.theme.portal.sidebar_nav import sidebar_nav

_ids = itertools.count()
_titles = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=10)
_links = st.sampled_from(["page", "page#section", "#", "external"])
# an entry: (title, link kind, current, children)
_entries = st.recursive(
    st.tuples(_titles, _links, st.booleans(), st.just([])),
    lambda children: st.tuples(_titles, _links, st.booleans(), st.lists(children, max_size=3)),
    max_leaves=12,
)


def _list(entries, level: int) -> str:
    """A toctree level as Sphinx renders it."""
    if not entries:
        return ""
    items = []
    for title, link, current, children in entries:
        number = next(_ids)
        href, kind = {
            "page": (f"p{number}.html", "internal"),
            "page#section": (f"p{number}.html#s{number}", "internal"),
            "#": ("#", "internal"),
            "external": (f"https://example.org/{number}", "external"),
        }[link]
        classes = f"toctree-l{level}" + (" current" if current else "")
        items.append(
            f'<li class="{classes}"><a class="reference {kind}{" current" if current else ""}" href="{href}">'
            f"{html.escape(title)}</a>{_list(children, level + 1)}</li>\n"
        )
    opening = '<ul class="current">' if any(current for _, _, current, _ in entries) else "<ul>"
    return f"{opening}\n{''.join(items)}</ul>\n"


def _fragment(parts) -> str:
    """The whole toctree: lists, each possibly under a caption."""
    out = []
    for caption, entries in parts:
        if caption is not None:
            out.append(f'<p aria-level="2" class="caption" role="heading"><span class="caption-text">'
                       f"{html.escape(caption)}</span></p>\n")
        out.append(_list(entries, 1))
    return "".join(out)


# What pydata's toctree functions ask of the application here: since 0.24 the page's output URI,
# to key a sidebar cache of its own (none for a collapsing sidebar, as here).
_APP = SimpleNamespace(builder=SimpleNamespace(get_target_uri=lambda docname: f"{docname}.html"))


def _pydata(fragment: str, show_nav_level: int) -> str:
    context = {"toctree": lambda **kwargs: fragment}
    add_toctree_functions(_APP, "page", "page.html", context, None)
    return str(context["generate_toctree_html"]("sidebar", startdepth=0, show_nav_level=show_nav_level))


def _normalised(markup: str) -> str:
    return BeautifulSoup(markup, "html.parser").decode().strip()


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.tuples(st.none() | _titles, st.lists(_entries, min_size=1, max_size=4)), min_size=1, max_size=3),
    show_nav_level=st.integers(1, 3),
)
def test_the_navigation_is_pydatas(parts, show_nav_level):
    fragment = _fragment(parts)
    ours = sidebar_nav(fragment, show_nav_level)
    assert ours is not None
    assert _normalised(ours) == _normalised(_pydata(fragment, show_nav_level))


def test_collapsible_parts_are_left_to_pydata():
    assert sidebar_nav('<ul><li class="toctree-l1"><a class="reference internal" href="a.html">a</a></li></ul>', 0) is None
    assert sidebar_nav('<ul><li class="toctree-l0"><p class="caption">c</p><ul></ul></li></ul>', 1) is None
    assert sidebar_nav("", 1) == ""
