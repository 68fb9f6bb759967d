"""zhiyuan.theme.controls with page_assets_left_out = ["bootstrap.js"]: no page loads Bootstrap's
script, every page loads ours (deferred) and pydata's own, and the joined sheet keeps none of
the rules only Bootstrap's script named (the purge's vocabulary skips the scripts no page loads,
in the output and in the theme's package).  What the script does in a browser:
tests/browser/test_controls.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from zhiyuan.compat.pydata_sphinx_theme import body_scripts

from helpers import build, page_scripts, soup

PAGES = ["index", "other", "genindex", "search"]
# Bootstrap components no page shows, whose class names only Bootstrap's script spells out
ONLY_BOOTSTRAP_NAMES = (".carousel{", ".offcanvas{", ".toast{")
MACROS = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    src = tmp_path_factory.mktemp("controls") / "src"
    shutil.copytree(rootdir / "test-controls", src)
    return build(src, freshenv=True)


def _sheet(app) -> str:
    return (app.outdir / "_static" / "zhiyuan.css").read_text(encoding="utf-8")


def _scripts(app, page: str) -> dict[str, bool]:
    """The page's scripts, the parts of a joined one included (path without query: whether deferred)."""
    return {path: tag.has_attr("defer") for path, tag in page_scripts(app.outdir, app.outdir / f"{page}.html")}


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", PAGES)
def test_no_page_loads_bootstraps_script_and_every_page_loads_ours_deferred(app, page):
    html = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    assert "bootstrap.js" not in html  # neither loaded nor preloaded
    scripts = _scripts(app, page)
    assert scripts["_static/zhiyuan-controls.js"] is True
    assert scripts["_static/scripts/pydata-sphinx-theme.js"] is True  # the theme's own script stays
    # the menu and the button the script works on are on the page
    assert soup(app.outdir / f"{page}.html").select_one('.theme-switch-container [data-bs-toggle="dropdown"]')
    assert soup(app.outdir / f"{page}.html").select_one("#pst-back-to-top")


def test_the_sheet_keeps_the_menu_and_leaves_out_what_only_bootstraps_script_named(app):
    sheet = _sheet(app)
    assert ".dropdown-menu.show{" in sheet  # the colour-mode menu, opened
    assert "#pst-back-to-top{" in sheet
    assert ".bd-header-article .dropdown > .dropdown-menu-end" in sheet  # our placement of the menu
    for rule in ONLY_BOOTSTRAP_NAMES:
        assert rule not in sheet, rule


def test_the_sheet_follows_the_list_of_scripts_left_out(rootdir, tmp_path):
    """The same site with Bootstrap's script loaded: its components' rules are in the sheet, and
    once it is left out, a rebuild (the sheet cached by what it is made of) drops them."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-controls", src)
    loaded = build(src, freshenv=True, confoverrides={"page_assets_left_out": []})
    assert loaded.warning.getvalue() == ""
    assert "_static/scripts/bootstrap.js" in _scripts(loaded, "index")
    assert all(rule in _sheet(loaded) for rule in ONLY_BOOTSTRAP_NAMES)
    left_out = build(src)
    assert left_out.warning.getvalue() == ""
    assert "_static/scripts/bootstrap.js" not in _scripts(left_out, "index")
    assert not any(rule in _sheet(left_out) for rule in ONLY_BOOTSTRAP_NAMES)


def test_the_theme_body_scripts_are_read_from_the_installed_macro_file(app):
    """pydata's end-of-body scripts, which page_assets takes into the pages' scripts (where
    page_assets_left_out reaches them): the format body_scripts reads is the installed one."""
    assert re.search(r"{% macro body_post\(\) %}", MACROS.read_text(encoding="utf-8"))
    assert body_scripts(app) == ["_static/scripts/bootstrap.js", "_static/scripts/pydata-sphinx-theme.js"]