"""The sidebar's site navigation: shared by pages outside the toctree, right on every page."""

from __future__ import annotations

import pytest

from helpers import resolve, soup

PAGES_IN_TOCTREE = ["index", "guide/intro", "guide/advanced", "about"]
PAGES_OUTSIDE = ["posts/2025/one", "posts/2025/two", "notes/note"]


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("navigation", freshenv=True)


def _nav(app, page: str):
    return soup(app.outdir / f"{page}.html").select_one("nav.bd-docs-nav")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", PAGES_IN_TOCTREE + PAGES_OUTSIDE)
def test_every_navigation_link_leads_to_its_page(app, page):
    nav = _nav(app, page)
    links = {a.get_text(strip=True): a["href"] for a in nav.select("a.reference.internal")}
    assert {"入门", "进阶", "关于"} <= set(links)
    path = app.outdir / f"{page}.html"
    for title, target in (("入门", "guide/intro"), ("进阶", "guide/advanced"), ("关于", "about")):
        href = links[title].split("#")[0]
        assert href == "" if target == page else resolve(path, href) == (app.outdir / f"{target}.html").resolve()


def test_the_current_page_is_marked_only_on_pages_in_the_toctree(app):
    current = _nav(app, "guide/advanced").select("li.current a")
    assert [a.get_text(strip=True) for a in current] == ["进阶"]
    for page in PAGES_OUTSIDE:
        assert _nav(app, page).select("li.current") == [], page


def test_pages_outside_the_toctree_differ_only_by_folder(app):
    """Reused within a folder; a page in another folder gets its own relative links."""
    one, two, note = (str(_nav(app, page)) for page in PAGES_OUTSIDE)
    assert one == two
    assert note != one
    assert note == one.replace("../../", "../")
