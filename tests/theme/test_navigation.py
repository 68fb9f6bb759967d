"""The sidebar's site navigation: shared by pages outside the toctree, right on every page."""

from __future__ import annotations

import shutil

import pytest

from helpers import build, resolve, soup

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


# -- kept between builds -----------------------------------------------------


def _rebuild_after(src, edits: dict[str, tuple[str, str]], monkeypatch):
    """Apply ``{file: (old, new)}`` to *src*, rebuild, and count the toctrees Sphinx resolved for the sidebars."""
    from sphinx.builders.html import StandaloneHTMLBuilder

    for name, (old, new) in edits.items():
        path = src / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    resolved = []
    get_local_toctree = StandaloneHTMLBuilder._get_local_toctree
    monkeypatch.setattr(StandaloneHTMLBuilder, "_get_local_toctree",
                        lambda self, docname, *args, **kwargs: resolved.append(docname)
                        or get_local_toctree(self, docname, *args, **kwargs))
    app = build(src)
    assert app.warning.getvalue() == ""
    return app, resolved


@pytest.fixture
def src(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-navigation", src)
    assert build(src, freshenv=True).warning.getvalue() == ""
    return src


def test_a_rebuild_reuses_the_navigation_while_the_toctree_is_the_same(src, monkeypatch):
    before = {page: str(_nav_in(src, page)) for page in ("posts/2025/one", "guide/intro")}
    app, resolved = _rebuild_after(src, {"posts/2025/one.md": ("正文。", "改过的正文。"),
                                         "guide/intro.md": ("正文。", "改过的正文。")}, monkeypatch)
    assert resolved == []
    assert {page: str(_nav_in(src, page)) for page in before} == before
    assert "改过的正文" in soup(app.outdir / "guide/intro.html").select_one("article").get_text()


def test_a_retitled_page_shows_its_new_title_in_every_navigation_written_after(src, monkeypatch):
    app, resolved = _rebuild_after(src, {"guide/advanced.md": ("# 进阶", "# 高级"),
                                         "posts/2025/one.md": ("正文。", "改过的正文。")}, monkeypatch)
    assert resolved  # rendered anew
    for page in ("posts/2025/one", "guide/advanced", "index"):
        titles = [a.get_text(strip=True) for a in _nav_in(src, page).select("a.reference.internal")]
        assert "高级" in titles and "进阶" not in titles, page


def _nav_in(src, page: str):
    return soup(src / "_build/html" / f"{page}.html").select_one("nav.bd-docs-nav")


# -- pages linking otherwise -------------------------------------------------


def test_the_404_page_gets_the_navigation_with_its_absolute_links_without_beautifulsoup(rootdir, tmp_path, monkeypatch):
    """notfound's page links from the site root; its navigation is built by sidebar_nav too (pydata's
    function would parse it with BeautifulSoup and compile soupsieve's patterns for this one page)."""
    import pydata_sphinx_theme.toctree

    parsed = []

    class CountedSoup(pydata_sphinx_theme.toctree.BeautifulSoup):
        def __init__(self, markup="", *args, **kwargs):
            parsed.append(markup)
            super().__init__(markup, *args, **kwargs)

    monkeypatch.setattr(pydata_sphinx_theme.toctree, "BeautifulSoup", CountedSoup)
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-navigation", src)
    app = build(src, freshenv=True, confoverrides={
        "extensions": ["myst_parser", "zhiyuan.theme.portal", "notfound.extension"],
        "notfound_urls_prefix": "/site/",
    })
    assert app.warning.getvalue() == ""
    assert parsed == []
    nav = soup(app.outdir / "404.html").select_one("nav.bd-docs-nav")
    links = {a.get_text(strip=True): a["href"] for a in nav.select("a.reference.internal")}
    assert {title: links[title] for title in ("入门", "进阶", "关于")} == {
        "入门": "/site/guide/intro.html", "进阶": "/site/guide/advanced.html", "关于": "/site/about.html"}
    assert str(nav) == str(_nav(app, "posts/2025/one")).replace("../../", "/site/")
