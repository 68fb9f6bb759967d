"""zhiyuan.theme.tab_stops: pydata's script loses its load-time scan of the whole page, and our
script is served, deferred, to the pages with code or tables.  What it does in a browser:
tests/browser/test_tab_stops.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from zhiyuan.compat.pydata_sphinx_theme import THEME_SCRIPT, without_tab_stop_scan

from helpers import build, page_scripts

INSTALLED_SCRIPT = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / THEME_SCRIPT.replace(
    "_static/", "static/"
)
LOAD_LISTENER = 'addEventListener("load"'


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    src = tmp_path_factory.mktemp("tab-stops") / "src"
    shutil.copytree(rootdir / "test-tab-stops", src)
    return build(src, freshenv=True)


def _scripts(app, page: str) -> dict[str, bool]:
    """The page's scripts (path without query: whether deferred)."""
    return {name: tag.has_attr("defer") for name, tag in page_scripts(app.outdir, app.outdir / f"{page}.html")}


def test_the_installed_script_loses_its_load_time_scan_and_nothing_else():
    script = INSTALLED_SCRIPT.read_text(encoding="utf-8")
    patched = without_tab_stop_scan(script)
    assert patched is not None and LOAD_LISTENER in script and LOAD_LISTENER not in patched
    cut = patched.rindex("void 0")
    assert script.startswith(patched[:cut]) and script.endswith(patched[cut + len("void 0") :])


@pytest.mark.parametrize("script", ["", "console.log(1)", 'a?I():window.addEventListener("load",I)'])
def test_a_script_without_the_scan_is_left_alone(script):
    assert without_tab_stop_scan(script) is None


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_the_published_theme_script_has_no_scan(app):
    published = (app.outdir / THEME_SCRIPT).read_text(encoding="utf-8")
    assert LOAD_LISTENER not in published
    assert "void 0" in published


def test_pages_with_code_or_a_table_load_the_script_deferred_and_others_do_not(app):
    assert _scripts(app, "code")["_static/zhiyuan-tab-stops.js"] is True
    assert _scripts(app, "table")["_static/zhiyuan-tab-stops.js"] is True
    assert "_static/zhiyuan-tab-stops.js" not in _scripts(app, "index")
    assert (app.outdir / "_static" / "zhiyuan-tab-stops.js").is_file()
