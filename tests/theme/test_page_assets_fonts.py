"""Fonts cut to given characters (zhiyuan.theme.page_assets.fonts): what is kept, and the same bytes each time."""

from __future__ import annotations

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
