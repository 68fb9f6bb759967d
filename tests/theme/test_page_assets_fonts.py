"""Fonts cut to given characters (zhiyuan.theme.page_assets.fonts): what is kept (names, no hinting), and the same
bytes each time."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from helpers import REPO

from zhiyuan.theme.page_assets import fonts

SOLID = REPO / "node_modules" / "@fortawesome" / "fontawesome-free" / "webfonts" / "fa-solid-900.woff2"


def test_a_cut_font_holds_the_asked_characters_it_has_and_is_reproducible(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = SOLID.read_bytes()
    asked = {0xF002, 0xF185, 0x4E2D}  # magnifying glass, sun, and 中 (not in the font)
    cut = fonts.subset_woff2(data, asked & fonts.characters(data))
    assert cut[:4] == b"wOF2"
    assert fonts.characters(cut) == {0xF002, 0xF185}
    assert len(cut) < len(data) / 20
    assert fonts.subset_woff2(data, {0xF185, 0xF002}) == cut
    # not the time of the build: fontTools would write the clock (or SOURCE_DATE_EPOCH) into it
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    assert fonts.subset_woff2(data, {0xF185, 0xF002}) == cut


def test_a_cut_text_font_keeps_its_names_and_leaves_out_its_hinting():
    data = (REPO / "node_modules" / "katex" / "dist" / "fonts" / "KaTeX_Main-Regular.woff2").read_bytes()
    with TTFont(io.BytesIO(data)) as font:
        assert {"fpgm", "prep"} <= set(font.keys())  # KaTeX's faces are hinted
        licence = font["name"].getDebugName(13)
    cut = fonts.subset_woff2(data, {ord(c) for c in "x=1+"})
    with TTFont(io.BytesIO(cut)) as font:
        assert not {"fpgm", "prep", "cvt "} & set(font.keys())
        assert font["name"].getDebugName(13) == licence  # the SIL OFL asks that it stays
