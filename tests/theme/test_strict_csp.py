"""strict_csp on a small site: no inline script is left, and any new one is a warning."""

from __future__ import annotations

import json
import shutil

import pytest

from zhiyuan.compat.pydata_sphinx_theme import fontawesome_css

from helpers import build, soup


def _build(rootdir, tmp_path, **confoverrides):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-strict-csp", src)
    return build(src, confoverrides=confoverrides)


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    return _build(rootdir, tmp_path_factory.mktemp("strict-csp"))


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", ["index.html", "search.html", "genindex.html", "blog.html"])
def test_no_inline_script_or_style_is_left(app, page):
    html = soup(app.outdir / page)
    assert all(script.get("src") for script in html.find_all("script"))
    assert not html.find_all("style")
    assert html.select_one('noscript link[rel="stylesheet"][href$="_static/strict_csp/noscript.css"]')


def test_the_themes_inline_scripts_are_files(app):
    html = soup(app.outdir / "index.html")
    head = html.select_one('head script[src$="_static/strict_csp/head.js"]')
    assert head["data-default-mode"] == ""
    assert head["data-auto-add-css"] == "false"
    # before any stylesheet, like the theme's inline script, so the mode applies at first paint
    assert head.find_previous("link", rel="stylesheet") is None
    page = html.select_one('script[src*="_static/strict_csp/page.js"]')
    assert json.loads(page["data-options"]) == {"pagename": "index", "search_as_you_type": False}
    sources = [s["src"].split("?")[0] for s in html.select("head script[src]")]
    # after doctools.js, before translations.js (whose addTranslations call it replaces)
    assert sources.index("_static/doctools.js") < sources.index("_static/strict_csp/page.js")
    assert sources.index("_static/strict_csp/page.js") < sources.index("_static/translations.js")


def test_font_awesome_css_is_served_as_a_file(app):
    html = soup(app.outdir / "index.html")
    assert html.select_one('link[rel="stylesheet"][href^="_static/strict_csp/fontawesome.css"]')
    css = (app.outdir / "_static" / "strict_csp" / "fontawesome.css").read_text(encoding="utf-8")
    assert css.startswith(":root, :host {\n  --fa-font-solid:")
    assert ".svg-inline--fa {\n  box-sizing: content-box;" in css
    assert "\\n" not in css


def test_another_inline_script_is_a_warning(rootdir, tmp_path):
    app = _build(rootdir, tmp_path, html_js_files=[("", {"body": "window.tracker = 1;"})])
    warnings = app.warning.getvalue()
    assert "inline script the Content-Security-Policy blocks" in warnings
    assert "window.tracker = 1;" in warnings
    # once per script, not once per page
    assert warnings.count("window.tracker") == 1


def test_fontawesome_css_reads_the_string_literal():
    script = (
        'var a=1;function dc(){var z=":root, :host {\\n  --fa-font-solid: \'x\';\\n}\\n'
        '.svg-inline--fa {\\n  content: \\"\\\\f00c\\";\\n}\\n";return z}'
    )
    assert fontawesome_css(script) == (
        ":root, :host {\n  --fa-font-solid: 'x';\n}\n.svg-inline--fa {\n  content: \"\\f00c\";\n}\n"
    )
    assert fontawesome_css("var z = 'nothing here';") is None
    assert fontawesome_css('z=":root, :host {\\n  --fa-x: 1;') is None  # unterminated
