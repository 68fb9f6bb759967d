"""zhiyuan.theme.icons: the theme's icons as inline SVG, Font Awesome's rules and fonts out of the
joined sheet, the icons its font drew as masks of SVG files (and the pure functions on small
HTML and CSS)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from zhiyuan.theme.icons.sheet import MASK_BOX, font_awesome_selector, without_font_awesome
from zhiyuan.theme.icons.svg import IconSet, inline_icons

from helpers import REPO, build, soup

FONT_AWESOME = REPO / "node_modules" / "@fortawesome" / "fontawesome-free"
ICONS = IconSet(FONT_AWESOME)
FA_MARKUP = re.compile(r"<(?:i|span)\b[^>]*\bclass=\"[^\"]*\bfa-")


def _build(src, **kwargs):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTAL_ICONS", str(kwargs.pop("package", FONT_AWESOME)))
        return build(src, **kwargs)


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    assert (FONT_AWESOME / "svgs" / "solid" / "bars.svg").is_file(), "run `npm ci` first (nox does)"
    src = tmp_path_factory.mktemp("icons") / "src"
    shutil.copytree(rootdir / "test-icons", src)
    return _build(src, freshenv=True)


def _sheet(app) -> str:
    return (app.outdir / "_static" / "zhiyuan.css").read_text(encoding="utf-8")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize("page", ["index", "other", "genindex", "search"])
def test_every_icon_of_a_page_is_inline_svg(app, page):
    text = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    assert not FA_MARKUP.search(text)
    html = soup(app.outdir / f"{page}.html")
    icons = html.select("svg.zy-icon")
    assert icons
    for icon in icons:
        assert icon["aria-hidden"] == "true" and icon["focusable"] == "false"
        assert icon["fill"] == "currentColor" and re.fullmatch(r"0 0 \d+ 512", icon["viewbox"])
        assert icon.select("path[d]") and not icon.has_attr("style")
    # the themes' classes stay: their rules place the icons; the first icon carries the licence
    assert html.select_one('button.theme-switch-button svg.theme-switch.fa-sun[data-mode="light"]')["title"]
    assert html.select_one("button.primary-toggle svg.fa-solid.fa-bars")
    assert text.count("<!--! Font Awesome Free") == 1
    assert "(Icons: CC BY 4.0" in text


def test_no_page_asks_for_font_awesome(app):
    for path in app.outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fontawesome.js" not in text and "fontawesome/" not in text and "webfonts/" not in text, path
    sheet = _sheet(app)
    assert "Font Awesome" not in sheet and "--fa" not in sheet
    assert not re.search(r"(?m)^\.fa[-,{]", sheet)  # no rule of Font Awesome's classes alone
    assert "@keyframes fa-" not in sheet
    assert not list((app.outdir / "_static" / "fonts").glob("fa-*"))
    # pydata's own rules that place an icon by its classes stay
    assert ".bd-search .fa-solid.fa-magnifying-glass{" in sheet
    assert ".zy-icon" in sheet  # zhiyuan-icons.css, joined


def test_the_icons_the_theme_drew_in_the_font_are_masks_of_svg_files(app):
    sheet = _sheet(app)
    note = re.search(r"\.admonition\.note>\.admonition-title:after[^{]*\{([^}]*)\}", sheet).group(1)
    assert 'content:""' in note and "mask-image:url(icons/solid-circle-info.svg)" in note
    assert "mask-image:url(icons/brands-github.svg)" in sheet  # pydata's a.github, in the brands style
    named = set(re.findall(r"url\(icons/([\w-]+\.svg)\)", sheet))
    folder = app.outdir / "_static" / "icons"
    assert {path.name for path in folder.iterdir()} == named
    info = (folder / "solid-circle-info.svg").read_text(encoding="utf-8")
    assert info.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "Font Awesome Free" in info
    assert html_links_resolve(app)


def html_links_resolve(app) -> bool:
    """Every url() of the sheet names a file of the output."""
    sheet = _sheet(app)
    urls = {url.split("?")[0] for url in re.findall(r"url\(([^)\"']+)\)", sheet) if not url.startswith("data:")}
    return all((app.outdir / "_static" / url).is_file() for url in urls)


def test_the_layout_leaves_out_font_awesome_s_script(app):
    for page in ("index", "other"):
        html = soup(app.outdir / f"{page}.html")
        assert not [tag for tag in html.select("script[src], link[href]")
                    if "fontawesome" in (tag.get("src") or tag.get("href"))]


def test_an_unknown_icon_is_a_warning_naming_the_page(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-icons", src)
    with (src / "other.md").open("a", encoding="utf-8") as file:
        file.write('\n<i class="fa-solid fa-no-such-icon"></i>\n')
    built = _build(src, freshenv=True)
    warnings = built.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[icons.unknown]" in warnings, warnings
    assert "other" in warnings and "fa-no-such-icon" in warnings
    assert '<i class="fa-solid fa-no-such-icon"></i>' in (built.outdir / "other.html").read_text(encoding="utf-8")


def test_another_version_than_the_theme_s_is_a_warning(rootdir, tmp_path):
    package = tmp_path / "fontawesome-free"
    package.mkdir()
    for name in ("css", "svgs"):
        (package / name).symlink_to(FONT_AWESOME / name)
    (package / "package.json").write_text(json.dumps({"version": "6.0.0"}), encoding="utf-8")
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-icons", src)
    built = _build(src, freshenv=True, package=package)
    warnings = built.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[icons.version]" in warnings, warnings
    assert "version 6.0.0" in warnings


def test_a_missing_package_is_a_warning_and_the_theme_keeps_its_script(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-icons", src)
    built = _build(src, freshenv=True, package=tmp_path / "nowhere",
                   confoverrides={"page_assets_left_out": ["bootstrap.js"]})
    warnings = built.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[icons.assets]" in warnings, warnings
    assert "npm ci" in warnings
    assert not soup(built.outdir / "index.html").select("svg.zy-icon")


# -- the pure functions ------------------------------------------------------------


def test_inline_icons_keeps_classes_and_attributes_and_resolves_aliases():
    page = ('<p><i class="theme-switch fa-solid fa-search fa-lg" data-mode="light" title="亮&amp;色"></i>'
            '<span class="fa-brands fa-github" aria-label="GitHub"></span>'
            '<i class="fa-solid fa-no-such-icon"></i><i class="other">x</i></p>')
    unknown: set[str] = set()
    out = inline_icons(page, ICONS, unknown)
    first, second = re.findall(r"<svg\b[^>]*>", out)
    assert first == ('<svg class="zy-icon theme-switch fa-solid fa-search fa-lg" data-mode="light" title="亮&amp;色" '
                     'aria-hidden="true" focusable="false" viewBox="0 0 512 512" fill="currentColor">')
    assert f"{first}<!--! Font Awesome Free" in out  # the licence notice, in the first icon only
    assert out.count("<!--") == 1
    assert 'aria-label="GitHub"' in second and 'role="img"' in second and "aria-hidden" not in second
    assert ICONS.icon("magnifying-glass").body in out  # fa-search is its alias
    assert '<i class="fa-solid fa-no-such-icon"></i><i class="other">x</i>' in out
    assert unknown == {"fa-solid fa-no-such-icon"}
    assert inline_icons("<p>没有图标</p>", ICONS) == "<p>没有图标</p>"


def test_the_elements_kept_between_pages_give_each_page_what_a_fresh_icon_set_gives():
    page = ('<i class="fa-solid fa-bars"></i><i class="fa-solid fa-no-such-icon"></i>'
            '<i class="fa-solid fa-bars"></i><span class="fa-brands fa-github" aria-label="GitHub"></span>')
    icons = IconSet(FONT_AWESOME)
    outs, unknowns = [], []
    for _ in range(3):  # the same elements again: from what the icon set kept
        unknown: set[str] = set()
        outs.append(inline_icons(page, icons, unknown))
        unknowns.append(unknown)
    fresh: set[str] = set()
    assert outs == [inline_icons(page, IconSet(FONT_AWESOME), fresh)] * 3
    assert unknowns == [fresh] * 3 == [{"fa-solid fa-no-such-icon"}] * 3
    assert all(out.count("<!--") == 1 and out.count("<svg") == 3 for out in outs)  # the notice on each page


def test_an_icon_is_found_by_its_font_s_codepoint_in_the_first_style_that_has_it():
    assert ICONS.by_codepoint(0xF05A).name == "circle-info"  # pydata's --pst-icon-info-circle
    assert ICONS.by_codepoint(0xF09B).style == "brands"  # GitHub: no solid icon has it
    assert ICONS.by_codepoint(0xF185, ("regular", "solid")).style == "regular"
    assert ICONS.by_codepoint(0x4E2D) is None  # 中
    assert ICONS.icon("sun").width == 576 / 512


def _files(codepoint, styles):
    icon = ICONS.by_codepoint(codepoint, styles)
    return (f"icons/{icon.style}-{icon.name}.svg", icon.width) if icon else None


def test_font_awesome_s_rules_go_and_the_theme_s_stay():
    assert font_awesome_selector(".fa-solid") and font_awesome_selector(":is(.fas,.far):before")
    assert font_awesome_selector(".fa-ul>li")
    assert not font_awesome_selector(".bd-search .fa-solid.fa-magnifying-glass")
    assert not font_awesome_selector("#pst-back-to-top .fa-arrow-up") and not font_awesome_selector(".fade")
    sheet = ("/* a */\n.fa-solid,.fas{font-family:var(--_fa-family);width:1.25em}\n"
             ":root,:host{--fa-font-solid:normal 900 1em/1 \"Font Awesome 7 Free\"}\n"
             "@font-face{font-family:\"Font Awesome 7 Free\";src:url(x.woff2)}\n"
             "@font-face{font-family:KaTeX_Main;src:url(k.woff2)}\n"
             "@keyframes fa-spin{to{transform:rotate(1turn)}}\n"
             "@media (prefers-reduced-motion:reduce){.fa-spin{animation:none}}\n"
             "@media print{.fa-spin{animation:none}.x{color:red}}\n"
             ".bd-search .fa-solid.fa-magnifying-glass{position:absolute}\n")
    assert without_font_awesome(sheet, _files) == (
        "/* a */\n@font-face{font-family:KaTeX_Main;src:url(k.woff2)}\n@media print{.x{color:red}}\n"
        ".bd-search .fa-solid.fa-magnifying-glass{position:absolute}\n")


def test_icons_drawn_in_the_font_become_masks():
    # as the joined sheet holds them: characters, not escapes (tinycss2 writes them so)
    sheet = ('html{--pst-icon-info:"\uf05a";--pst-icon-note:var(--pst-icon-info)}\n'
             ".t:after{color:blue;content:var(--pst-icon-note);font:var(--fa-font-solid);height:1rem;top:.4rem}\n"
             '.s:after{content:"\uf09b"}\n'
             '.o:after{content:"\uf107";font-family:Font Awesome\\ 6 Free;padding-left:.5em}\n'
             '.q:before{content:"—"}\n')
    out = without_font_awesome(sheet, _files)
    assert out.startswith('html{--pst-icon-info:"\uf05a";--pst-icon-note:var(--pst-icon-info)}\n')
    assert (".t:after{color:blue;content:\"\";-webkit-mask-image:url(icons/solid-circle-info.svg);"
            f"mask-image:url(icons/solid-circle-info.svg);{MASK_BOX};top:.4rem;width:1em}}") in out
    assert ".s:after{content:\"\";-webkit-mask-image:url(icons/brands-github.svg);" in out
    assert re.search(r"\.o:after\{content:\"\";[^}]*solid-angle-down\.svg[^}]*;display:inline-block;[^}]*"
                     r"padding-left:\.5em;width:0\.75em\}", out)
    assert '.q:before{content:"—"}' in out  # not an icon
