"""The pure CSS functions behind the joined sheet (zhiyuan.theme.page_assets.css), on small sheets."""

from __future__ import annotations

import pytest

from zhiyuan.theme.page_assets import css


def test_words_are_what_a_class_or_id_can_be_made_of():
    assert css.words('<div class="bd-header  nav-link">x_y = f("toc-h2")</div>') >= {
        "bd-header", "nav-link", "x_y", "toc-h2"}


@pytest.mark.parametrize(
    ("selector", "kept"),
    [
        (".used", True),
        (".unused", False),
        ("div.used > .unused", False),
        ("#used-id a", True),
        ("#other-id", False),
        ("html[data-theme=dark] .used", True),  # attributes never decide
        ("a:not(.unused)", True),  # neither do classes in :not(), :is(), :where(), :has()
        (".used:is(.unused, .other)", True),
        ("li:nth-child(2n+1)", True),
        (".w-1\\/2", True),  # escaped names are kept
        ("p", True),
    ],
)
def test_a_selector_is_kept_if_each_class_and_id_it_needs_is_used(selector, kept):
    assert css.selector_used(selector, {"used", "used-id"}) is kept


def test_purge_keeps_used_rules_inside_at_rules_and_drops_empty_ones():
    sheet = """
    /* a comment */
    .used, .unused { color: red }
    .unused { color: blue }
    @media (min-width: 960px) { .unused { margin: 0 } }
    @media print { .used { display: none } }
    @font-face { font-family: X; src: url(x.woff2) }
    @keyframes spin { to { transform: rotate(1turn) } }
    """
    purged = css.purge(sheet, {"used"})
    assert ".used{color: red}" in purged
    assert ".unused" not in purged and "blue" not in purged
    assert "min-width" not in purged  # its one rule went, so did the block
    assert "@media print{.used{display: none}}" in purged
    assert "@font-face" in purged and "@keyframes spin" in purged
    assert "comment" not in purged


def test_urls_are_rebased_from_the_sheet_to_the_joined_sheet():
    sheet = 'a{background:url("fonts/a.woff2?v=1#x")} b{background:url(data:image/svg+xml;x)} c{src:url(/abs.png)}'
    rebased = css.rebase_urls(sheet, "_static/katex/katex.min.css", "_static/zhiyuan.css")
    assert 'url("katex/fonts/a.woff2?v=1#x")' in rebased
    assert "url(data:image/svg+xml;x)" in rebased and "url(/abs.png)" in rebased
    assert css.rebase_urls("a{src:url(../webfonts/f.woff2)}", "_static/fa/css/all.css", "_static/zhiyuan.css") == (
        "a{src:url(fa/webfonts/f.woff2)}")


def test_local_imports_are_inlined_and_rebased():
    files = {"_static/basic.css": "@import 'sub/more.css'; .b { color: red }",
             "_static/sub/more.css": ".m { background: url(img.png) }"}
    inlined = css.inline_imports('@import "../basic.css";\n.t{}', "_static/styles/theme.css", files.get)
    assert "@import" not in inlined
    assert ".b { color: red }" in inlined
    assert "url(../sub/img.png)" in inlined  # relative to theme.css, where the text now lives
    assert css.inline_imports('@import "missing.css";', "_static/x.css", files.get) == '@import "missing.css";'


def test_icon_codepoints_are_the_private_use_characters_named_escaped_or_not():
    sheet = '.fa-sun{--fa:"\\f185"} .fa-moon{--fa:"\uf186"} .x{content:"\\2014"}'
    assert css.icon_codepoints(sheet) == {0xF185, 0xF186}


def test_font_faces_and_the_rules_that_use_them():
    sheet = """
    @font-face{font-family:KaTeX_Main;font-style:normal;font-weight:400;src:url(f/Main-Regular.woff2) format("woff2"),url(f/Main-Regular.woff) format("woff")}
    @font-face{font-family:KaTeX_Math;font-style:italic;font-weight:400;src:url(f/Math-Italic.woff2) format("woff2")}
    .katex{font:normal 1.21em KaTeX_Main,Times New Roman,serif}
    .katex .mathnormal,.katex .mathit{font-family:KaTeX_Math;font-style:italic}
    .other{font-family:serif}
    """
    faces = css.font_faces(sheet)
    assert faces == {("KaTeX_Main", 400, "normal"): "f/Main-Regular.woff2",
                     ("KaTeX_Math", 400, "italic"): "f/Math-Italic.woff2"}
    assert css.font_uses(sheet, "KaTeX_") == [
        (frozenset({"katex"}), ("KaTeX_Main", 400, "normal")),
        (frozenset({"katex", "mathnormal"}), ("KaTeX_Math", 400, "italic")),
        (frozenset({"katex", "mathit"}), ("KaTeX_Math", 400, "italic")),
    ]
    face = "@font-face{font-family:KaTeX_Main;src:url(a.woff2) format('woff2'),url(a.ttf)}"
    assert css.with_source(face, "fonts/b.woff2") == '@font-face{font-family:KaTeX_Main;src:url(fonts/b.woff2) format("woff2")}'
    assert css.font_family("@font-face{font-family:Font Awesome\\ 7 Free;src:url(x)}") == "Font Awesome 7 Free"
    assert css.map_font_faces(sheet, lambda rule: None if "Math" in rule else rule).count("@font-face") == 1


def test_compact_keeps_every_rule_without_comments():
    sheet = "/* Pygments */\n.highlight .k { color: #000 } /* Keyword */\n@media print { .x { display: none } }\n"
    assert css.compact(sheet) == ".highlight .k{color: #000}\n@media print{.x{display: none}}\n"
