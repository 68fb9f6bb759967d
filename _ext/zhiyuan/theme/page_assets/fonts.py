"""Fonts cut down to the glyphs a style sheet names (fontTools' subsetter).

Font Awesome's solid font holds some two thousand icons in 112 KiB; the pages show about a
dozen.  KaTeX's fonts cover whole alphabets; the formulas of the site show a few hundred
characters.  :func:`subset_woff2` keeps the glyphs of the given characters, as WOFF2, with
the same bytes from run to run: the cut font keeps its source's ``head`` modification time
(fontTools would set it to the clock, or to ``SOURCE_DATE_EPOCH``, when it saves the font).
It leaves out the fonts' hinting (TrueType instructions, ``fpgm``, ``prep``, ``cvt``): about
2 KB of each KaTeX face, a quarter of a small one, which phones and macOS do not use and
Windows' DirectWrite barely needs at the sizes formulas are drawn.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

#: Part of every cut font's name: changed whenever :func:`subset_woff2` makes other bytes of the
#: same font and characters, so that no cache holds a font cut the old way under the new name.
VERSION = "2"


def characters(data: bytes) -> set[int]:
    """The characters the font *data* has glyphs for."""
    from fontTools.ttLib import TTFont  # here: importing this module (VERSION) needs no fontTools

    with TTFont(io.BytesIO(data)) as font:
        return set(font.getBestCmap() or {})


def subset_woff2(data: bytes, codepoints: Iterable[int]) -> bytes:
    """The font *data* (any format fontTools reads) with only the glyphs of *codepoints*, as WOFF2."""
    # imported here: knowing which characters a font has (the build) does not need it
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []  # icon fonts need no OpenType features
    options.name_IDs = ["*"]  # keep the licence and names (SIL OFL asks that they stay)
    options.notdef_outline = True
    options.hinting = False
    # the subsetter reports each table it prunes at INFO, into whatever logging the build set up
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with TTFont(io.BytesIO(data), recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff2"
        font.save(out, reorderTables=False)
    return out.getvalue()
