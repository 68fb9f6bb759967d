"""page_assets on a small site: one render-blocking sheet holding what the pages use, deferred
scripts, fonts cut to what is drawn and preloaded where it is drawn, scripts only where needed."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest
from fontTools.ttLib import TTFont

from zhiyuan import side_process
from zhiyuan.theme.page_assets import AFTER_PAINT, fonts

from helpers import REPO, build, note_pids, page_scripts, soup

KATEX = REPO / "node_modules" / "katex" / "dist"
FONT_AWESOME = REPO / "node_modules" / "@fortawesome" / "fontawesome-free"


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    assert (KATEX / "katex.min.css").is_file(), "run `npm ci` first (nox does)"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTAL_KATEX_ASSETS", str(KATEX))
        env.setenv("PORTAL_ICONS", str(FONT_AWESOME))
        src = tmp_path_factory.mktemp("page-assets") / "src"
        shutil.copytree(rootdir / "test-page-assets", src)
        return build(src, freshenv=True)


def _sheet(app) -> str:
    return (app.outdir / "_static" / "zhiyuan.css").read_text(encoding="utf-8")


def _cmap(path) -> set[int]:
    with TTFont(io.BytesIO(path.read_bytes())) as font:
        return set(font.getBestCmap())


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", ["index", "math", "code", "genindex"])
def test_two_requests_block_rendering_the_sheet_and_the_colour_mode_script(app, page):
    html = soup(app.outdir / f"{page}.html")
    sheets = [link["href"].split("?")[0] for link in html.select('link[rel="stylesheet"]')
              if not link.find_parent("noscript")]
    assert sheets == ["_static/zhiyuan.css"]
    blocking = [script["src"].split("?")[0] for script in html.select("script[src]")
                if not script.has_attr("defer") and not script.has_attr("async")]
    assert blocking == ["_static/strict_csp/head.js"]
    # the deferred scripts keep Sphinx's order (doctools needs documentation_options first)
    sources = [name for name, tag in page_scripts(app.outdir, app.outdir / f"{page}.html") if tag.has_attr("defer")]
    assert sources.index("_static/documentation_options.js") < sources.index("_static/doctools.js")


def test_the_sheet_keeps_the_rules_the_pages_can_match_and_drops_the_rest(app):
    sheet = _sheet(app)
    assert "@import" not in sheet  # theme.css's import of basic.css is inlined
    assert ".bd-header" in sheet  # the theme's header, on every page
    assert ".admonition" in sheet  # the {note} on math.md
    assert ".accordion-button" not in sheet  # Bootstrap's accordion: on no page
    assert ".bs-tooltip-auto" in sheet  # built by Bootstrap's script from parts (page_assets_keep)
    assert ".highlight .k" in sheet  # Pygments' sheet is kept whole
    assert 'html[data-theme="dark"] .highlight' in sheet  # pydata's light and dark code colours


def test_the_icons_are_no_font(app):
    # zhiyuan.theme.icons draws them as inline SVG: Font Awesome's faces are out of the sheet
    assert not list((app.outdir / "_static" / "fonts").glob("fa-*"))
    assert "Font Awesome" not in _sheet(app)


def test_an_icon_font_holds_only_the_icons_the_sheet_names(rootdir, tmp_path):
    # without zhiyuan.theme.icons, the theme's sheet draws its icons in Font Awesome's font
    extensions = [name for name in _EXTENSIONS if name != "zhiyuan.theme.icons"]
    app = _build(_copy(rootdir, tmp_path), freshenv=True, confoverrides={"extensions": extensions})
    assert app.warning.getvalue() == ""
    (solid,) = (app.outdir / "_static" / "fonts").glob("fa-solid-900.*.woff2")
    assert solid.stat().st_size < (FONT_AWESOME / "webfonts" / "fa-solid-900.woff2").stat().st_size / 10
    characters = _cmap(solid)
    assert 0xF002 in characters  # fa-magnifying-glass, the search button
    assert 0xF0F4 not in characters  # fa-mug-saucer: on no page
    assert re.search(r"url\(fonts/fa-solid-900\.[0-9a-f]+\.woff2\)", _sheet(app))
    assert "webfonts/" not in _sheet(app)


def test_katex_fonts_hold_the_characters_formulas_show_and_are_preloaded_where_used(app):
    (main,) = (app.outdir / "_static" / "fonts").glob("KaTeX_Main-Regular.*.woff2")
    assert {ord(c) for c in "=1"} <= _cmap(main)
    assert ord("Q") not in _cmap(main)  # in no formula
    preloads = [link["href"] for link in soup(app.outdir / "math.html").select('link[rel="preload"][as="font"]')]
    assert any("KaTeX_Main-Regular" in href for href in preloads)
    assert any("KaTeX_Math-Italic" in href for href in preloads)  # the italic E, m, c, α
    assert not any("KaTeX_Fraktur" in href for href in preloads)
    assert all((app.outdir / href).is_file() for href in preloads)
    assert not soup(app.outdir / "code.html").select('link[rel="preload"][as="font"]')


def test_the_faces_of_every_formula_of_a_page_are_preloaded(app):
    # \mathcal{L} comes after 900 characters of text: the browser's first layout may reach it, and
    # a face it discovers there would be fetched ahead of the sheet
    preloads = [link["href"] for link in soup(app.outdir / "math.html").select('link[rel="preload"][as="font"]')]
    assert any("KaTeX_Caligraphic" in href for href in preloads)
    assert len(preloads) == len(set(preloads))


def test_the_copy_button_loads_only_where_there_is_code(app):
    def scripts(page):
        return [name for name, _ in page_scripts(app.outdir, app.outdir / f"{page}.html")]

    assert "_static/copybutton.js" in scripts("code")
    assert "_static/clipboard.min.js" in scripts("code")
    assert "_static/copybutton.js" not in scripts("math")
    assert "_static/clipboard.min.js" not in scripts("index")
    # page_assets_left_out (the root leaves out Sphinx's search-word highlighter)
    assert all("_static/sphinx_highlight.js" not in scripts(page) for page in ("index", "math", "code"))
    assert "_static/doctools.js" in scripts("index")


def test_a_rebuild_writes_the_same_sheet_and_fonts(app, rootdir, tmp_path):
    before = _sheet(app)
    fonts = sorted(path.name for path in (app.outdir / "_static" / "fonts").iterdir())
    (app.srcdir / "code.md").write_text("# 代码\n\n改过的一段。\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTAL_KATEX_ASSETS", str(KATEX))
        env.setenv("PORTAL_ICONS", str(FONT_AWESOME))
        again = build(app.srcdir)
    assert again.warning.getvalue() == ""
    assert _sheet(again) == before
    assert sorted(path.name for path in (again.outdir / "_static" / "fonts").iterdir()) == fonts


# -- fonts cut beside the build ------------------------------------------------------

# the root's extensions (conf.py)
_EXTENSIONS = ["myst_parser", "ablog", "sphinx_copybutton", "zhiyuan.formulas.katex_ssr", "zhiyuan.theme.icons",
               "zhiyuan.theme.portal", "zhiyuan.theme.strict_csp", "zhiyuan.theme.page_assets"]


def _build(src, **kwargs):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1763769600")  # fontTools dates a font it writes by it, else by the clock
        env.setenv("PORTAL_KATEX_ASSETS", str(KATEX))
        env.setenv("PORTAL_ICONS", str(FONT_AWESOME))
        return build(src, **kwargs)


def _copy(rootdir, folder):
    src = folder / "src"
    shutil.copytree(rootdir / "test-page-assets", src)
    return src


def _fonts(outdir) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((outdir / "_static" / "fonts").iterdir())}


def test_fonts_are_cut_beside_the_build_and_there_when_it_returns(app, rootdir, tmp_path, monkeypatch):
    log = tmp_path / "pids"
    note_pids(monkeypatch, fonts, "subset_woff2", log)
    beside = _build(_copy(rootdir, tmp_path), freshenv=True)
    assert beside.warning.getvalue() == ""
    pids = log.read_text(encoding="ascii").split()
    assert len(pids) == len(_fonts(beside.outdir)) > 3 and len(set(pids)) == 1 and pids[0] != str(os.getpid())
    assert set(_fonts(beside.outdir)) == set(_fonts(app.outdir)) and _sheet(beside) == _sheet(app)
    # every font the sheet names and every page preloads is there
    named = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", _sheet(beside)))
    assert named == {f"fonts/{name}" for name in _fonts(beside.outdir)}
    for href in (link["href"] for link in soup(beside.outdir / "math.html").select('link[rel="preload"]')):
        assert (beside.outdir / href).is_file()
    with pytest.raises(ChildProcessError):  # reaped by the build
        os.waitpid(int(pids[0]), os.WNOHANG)

    # a clean output folder with the doctree folder kept cuts nothing and writes the same fonts,
    # and a no-op build writes none
    log.unlink()
    made = _fonts(beside.outdir)
    shutil.rmtree(beside.outdir)
    again = _build(beside.srcdir)
    assert again.warning.getvalue() == "" and not log.exists()
    assert _fonts(again.outdir) == made
    times = {path.name: path.stat().st_mtime_ns for path in (again.outdir / "_static" / "fonts").iterdir()}
    noop = _build(beside.srcdir)
    assert noop.warning.getvalue() == "" and not log.exists()
    assert {path.name: path.stat().st_mtime_ns for path in (noop.outdir / "_static" / "fonts").iterdir()} == times


def test_without_fork_fonts_are_cut_in_the_build_the_same(rootdir, tmp_path, monkeypatch):
    beside = _build(_copy(rootdir, tmp_path / "beside"), freshenv=True)
    log = tmp_path / "pids"
    note_pids(monkeypatch, fonts, "subset_woff2", log)
    monkeypatch.setattr(side_process, "available", lambda: False)
    here = _build(_copy(rootdir, tmp_path / "here"), freshenv=True)
    assert here.warning.getvalue() == ""
    assert set(log.read_text(encoding="ascii").split()) == {str(os.getpid())}
    assert _fonts(here.outdir) == _fonts(beside.outdir) and _sheet(here) == _sheet(beside)


@pytest.mark.parametrize("fork", [True, False])
def test_a_font_that_cannot_be_cut_is_a_warning_naming_it(rootdir, tmp_path, monkeypatch, fork):
    real = fonts.subset_woff2

    main = (KATEX / "fonts" / "KaTeX_Main-Regular.woff2").read_bytes()

    def failing(data, codepoints):
        if data == main:
            raise ValueError("a broken glyph table")
        return real(data, codepoints)

    monkeypatch.setattr(fonts, "subset_woff2", failing)
    if not fork:
        monkeypatch.setattr(side_process, "available", lambda: False)
    failed = _build(_copy(rootdir, tmp_path), freshenv=True)
    warnings = failed.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[page_assets.fonts]" in warnings, warnings
    assert "the fonts cut to the glyphs in use could not be made: ValueError: a broken glyph table" in warnings
    assert re.search(r"\(_static/fonts/KaTeX_Main-Regular\.[0-9a-f]+\.woff2, cut from _static/\S+KaTeX_Main-Regular\.woff2\)",
                     warnings), warnings
    assert "\n" not in warnings.rstrip("\n")  # one line


# ablog is not parallel-safe (Sphinx would do a serial read and say so): leave it out here
_WITHOUT_ABLOG = {"extensions": ["myst_parser", "sphinx_copybutton", "zhiyuan.formulas.katex_ssr",
                                 "zhiyuan.theme.icons", "zhiyuan.theme.strict_csp", "zhiyuan.theme.page_assets"]}


def test_a_parallel_build_makes_the_same_sheet_and_fonts(rootdir, tmp_path):
    serial = _build(_copy(rootdir, tmp_path / "serial"), freshenv=True, confoverrides=_WITHOUT_ABLOG)
    parallel = _build(_copy(rootdir, tmp_path / "parallel"), freshenv=True, parallel=2, confoverrides=_WITHOUT_ABLOG)
    assert serial.warning.getvalue() == "" and parallel.warning.getvalue() == ""
    assert _sheet(parallel) == _sheet(serial)
    assert _fonts(parallel.outdir) == _fonts(serial.outdir) and len(_fonts(parallel.outdir)) > 3
    for page in ("math", "code"):
        assert (parallel.outdir / f"{page}.html").read_bytes() == (serial.outdir / f"{page}.html").read_bytes()
