"""A share card: a 1200×630 PNG with a post's category, title and the site's name.

Pure functions of their arguments (text, fonts, colours): :func:`draw_card` returns the PNG's
bytes, the same bytes for the same arguments on every run and in every folder — Pillow
writes no date or path into the file, text is laid out by FreeType alone (Pillow's basic
layout, not the system's Raqm), and the card is drawn straight onto a palette
(:class:`_PaletteCanvas`): its few flat colours and, for each colour of text over its ground,
the 15 blends between them that the text's antialiased edges take (some 15–20 KiB a card,
against some 50 as an RGB PNG).  That is what a quantiser would find in an RGB drawing, without the
quantising pass, and truer to it: an edge takes the blend nearest its coverage, not the
nearest of a few colours chosen for the whole card.

Titles are broken into lines where Unicode's line-breaking algorithm (UAX #14, by uniseg)
allows: between any two Chinese characters, but never before a closing mark (，。）」) or
after an opening one (（「), and Latin words stay whole (:func:`wrap`); its lines are
balanced, none much shorter than the others.  A title is set as large as fits in three
lines; one that does not fit even at the smallest size is cut at the end of its third line
with an ellipsis.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import regex
from PIL import Image, ImageColor, ImageDraw, ImageFont
from uniseg.linebreak import line_break_units

__all__ = ["HEIGHT", "WIDTH", "Colours", "Fonts", "draw_card", "wrap"]

WIDTH, HEIGHT = 1200, 630
_MARGIN = 80
_TEXT_WIDTH = WIDTH - 2 * _MARGIN
# the title's sizes in pixels, largest first, and its most lines
_TITLE_SIZES = (68, 60, 52)
_TITLE_LINES = 3
_TITLE_LEADING = 1.4
_CHIP_SIZE, _SITE_SIZE, _HOST_SIZE = 30, 40, 26
_BAND = 14  # the coloured band along the bottom edge
_ELLIPSIS = "…"
# steps of coverage from a text's ground to its colour: the blends its antialiased edges take
_COVERAGE_STEPS = 16


@dataclass(frozen=True)
class Colours:
    """The card's colours: pydata-sphinx-theme's light palette, which the site uses."""

    background: str = "#ffffff"
    title: str = "#222832"  # --pst-color-text-base
    muted: str = "#48566b"  # --pst-color-text-muted
    primary: str = "#0a7d91"  # --pst-color-primary: the site's name, the band
    chip: str = "#d0ecf1"  # --pst-color-primary-bg: behind the category
    chip_text: str = "#075e6d"  # the primary, darkened to 6:1 on the chip


@dataclass(frozen=True)
class Fonts:
    """The font files the card is set in: a regular and a bold face (a collection's face by index)."""

    regular: str
    bold: str
    regular_index: int = 0
    bold_index: int = 0


@functools.cache
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


def _graphemes(text: str) -> list[str]:
    return regex.findall(r"\X", text)


@functools.lru_cache(maxsize=64)
def _pieces(text: str) -> tuple[tuple[str, ...], frozenset[int]]:
    """*text*'s graphemes (spaces collapsed) and the indices where a line may start, by Unicode's
    line-breaking algorithm (uniseg; pure Python, so once per text, not once per size)."""
    clusters: list[str] = []
    breaks = set()
    for unit in line_break_units(" ".join(text.split())):
        clusters += _graphemes(unit)
        breaks.add(len(clusters))
    return tuple(clusters), frozenset(breaks)


@dataclass(frozen=True)
class _Laid:
    """A text as graphemes, each one's advance in a font, and where a line may start (UAX #14)."""

    clusters: tuple[str, ...]
    widths: tuple[float, ...]
    breaks: frozenset[int]

    @classmethod
    def of(cls, text: str, font: ImageFont.FreeTypeFont) -> _Laid:
        clusters, breaks = _pieces(text)
        return cls(clusters, tuple(_advance(font, c) for c in clusters), breaks)

    def lines(self, width: float) -> list[str]:
        """Greedy lines no wider than *width*: each ends at the last place a line may break that
        fits, or, for a piece wider than a line, between graphemes; spaces at a line's end hang."""
        clusters, widths, n = self.clusters, self.widths, len(self.clusters)
        lines, start = [], 0
        while start < n:
            while start < n and clusters[start].isspace():
                start += 1
            total, end, last = 0.0, start, None
            while end < n and (total + widths[end] <= width or clusters[end].isspace()):
                total += widths[end]
                end += 1
                if end in self.breaks:
                    last = end
            cut = n if end >= n else last if last is not None and last > start else max(end, start + 1)
            line = "".join(clusters[start:cut]).rstrip()
            if line:
                lines.append(line)
            start = cut
        return lines

    def balanced(self, width: float) -> list[str]:
        """The lines at the narrowest width that needs no more lines than *width* does, so that
        the last line is not a word or two under a full one (as CSS's ``text-wrap: balance``)."""
        count = len(self.lines(width))
        low, high = width / max(1, count), width
        while high - low > 2:
            middle = (low + high) / 2
            if len(self.lines(middle)) <= count:
                high = middle
            else:
                low = middle
        return self.lines(high)


_ADVANCES: dict[tuple[int, str], float] = {}


def _advance(font: ImageFont.FreeTypeFont, cluster: str) -> float:
    """How far *cluster* moves the pen in *font* (measured once: a title is laid out at several
    sizes and widths, and its lines' width is the sum of its graphemes' advances)."""
    key = (id(font), cluster)
    if key not in _ADVANCES:
        _ADVANCES[key] = font.getlength(cluster)
    return _ADVANCES[key]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """*text* broken into lines no wider than *width* in *font*, at the places Unicode's
    line-breaking rules allow (a piece wider than a line is broken between graphemes)."""
    return _Laid.of(text, font).lines(width)


def _shorten(line: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """*line* cut so that it and an ellipsis fit *width*."""
    clusters = _graphemes(line)
    while clusters and font.getlength("".join(clusters).rstrip() + _ELLIPSIS) > width:
        clusters.pop()
    return "".join(clusters).rstrip() + _ELLIPSIS


def _clip(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """*text*, or as much of it as fits *width* with an ellipsis."""
    return text if font.getlength(text) <= width else _shorten(text, font, width)


def _title_lines(title: str, fonts: Fonts) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The title's font and lines: the largest size at which it fits, else cut at the smallest."""
    for size in _TITLE_SIZES:
        font = _font(fonts.bold, fonts.bold_index, size)
        laid = _Laid.of(title, font)
        lines = laid.lines(_TEXT_WIDTH)
        if len(lines) <= _TITLE_LINES:
            return font, laid.balanced(_TEXT_WIDTH)
    kept = lines[:_TITLE_LINES]
    kept[-1] = _shorten(kept[-1], font, _TEXT_WIDTH)
    return font, kept


class _PaletteCanvas:
    """A card drawn on a palette image: flat colours by their index, text by its coverage.

    Shapes are filled with a colour's index (Pillow draws them without antialiasing in any
    mode).  Text is set in a mask of its coverage, which a table maps to the palette: no
    coverage to the ground's index, full coverage to the text's, and each step between to
    the blend of the two at that step, added to the palette the first time a colour of text
    is set over that ground.  The palette's order is the order of drawing, so the same card
    is the same bytes.
    """

    def __init__(self, ground: str) -> None:
        self._palette: list[tuple[int, ...]] = []
        self._indices: dict[tuple[int, ...], int] = {}
        self._coverage_tables: dict[tuple[str, str], list[int]] = {}
        self.image = Image.new("L", (WIDTH, HEIGHT), self.colour(ground))
        self.draw = ImageDraw.Draw(self.image)

    def _index(self, rgb: tuple[int, ...]) -> int:
        if rgb not in self._indices:
            self._indices[rgb] = len(self._palette)
            self._palette.append(rgb)
        return self._indices[rgb]

    def colour(self, colour: str) -> int:
        """The palette index of *colour* (``#rrggbb``)."""
        return self._index(ImageColor.getrgb(colour))

    def _coverage_table(self, ink: str, ground: str) -> list[int]:
        """For each coverage 0–255 of *ink* over *ground*, the index of the colour it gives."""
        if (ink, ground) not in self._coverage_tables:
            to, over = ImageColor.getrgb(ink), ImageColor.getrgb(ground)
            steps = [self.colour(ground)] + [
                self._index(tuple(round(g + (i - g) * step / _COVERAGE_STEPS) for i, g in zip(to, over)))
                for step in range(1, _COVERAGE_STEPS)
            ] + [self.colour(ink)]
            self._coverage_tables[ink, ground] = [steps[round(c * _COVERAGE_STEPS / 255)] for c in range(256)]
        return self._coverage_tables[ink, ground]

    def text(self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont, ink: str, ground: str,
             anchor: str = "ls") -> None:
        """*text* in *ink* at *xy* (by *anchor*), over a part of the card that is *ground*."""
        left, top, right, bottom = self.draw.textbbox(xy, text, font=font, anchor=anchor)
        left, top = max(0, int(left)), max(0, int(top))
        right, bottom = min(WIDTH, int(right) + 1), min(HEIGHT, int(bottom) + 1)
        if right <= left or bottom <= top:
            return
        coverage = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(coverage).text((xy[0] - left, xy[1] - top), text, font=font, fill=255, anchor=anchor)
        # only the pixels the text covers: the box of one line may reach into the next one's
        self.image.paste(coverage.point(self._coverage_table(ink, ground)), (left, top),
                         coverage.point([0] + [255] * 255))

    def png(self) -> bytes:
        paletted = self.image.copy()
        paletted.putpalette([channel for rgb in self._palette for channel in rgb])
        out = io.BytesIO()
        paletted.save(out, format="PNG", compress_level=6)  # 9: 2 KiB less, ten times slower
        return out.getvalue()


def draw_card(title: str, categories: tuple[str, ...], site_name: str, host: str, fonts: Fonts,
              colours: Colours = Colours()) -> bytes:
    """The PNG of the card of a post titled *title* in *categories*, on the site *site_name*
    at *host* (either may be empty)."""
    canvas = _PaletteCanvas(colours.background)

    top = 72
    if categories:
        chip_font = _font(fonts.bold, fonts.bold_index, _CHIP_SIZE)
        label = _clip(" · ".join(categories), chip_font, _TEXT_WIDTH - 40)
        left, _, right, _ = canvas.draw.textbbox((0, 0), label, font=chip_font, anchor="ls")
        ascent, descent = chip_font.getmetrics()
        box = (_MARGIN, top, _MARGIN + (right - left) + 40, top + ascent + descent + 16)
        canvas.draw.rounded_rectangle(box, radius=10, fill=canvas.colour(colours.chip))
        canvas.text((_MARGIN + 20, top + 8 + ascent), label, chip_font, colours.chip_text, colours.chip)

    footer = HEIGHT - _BAND - 56  # the site name's baseline
    font, lines = _title_lines(title, fonts)
    step = round(font.size * _TITLE_LEADING)
    # the title's block centred between the category and the footer
    space_top, space_bottom = top + 80, footer - _SITE_SIZE - 40
    ascent, _ = font.getmetrics()
    block = step * (len(lines) - 1) + font.size
    baseline = space_top + max(0, (space_bottom - space_top - block) // 2) + ascent
    for line in lines:
        canvas.text((_MARGIN, baseline), line, font, colours.title, colours.background)
        baseline += step

    if site_name:
        site_font = _font(fonts.bold, fonts.bold_index, _SITE_SIZE)
        canvas.text((_MARGIN, footer), _clip(site_name, site_font, _TEXT_WIDTH / 2), site_font,
                    colours.primary, colours.background)
    if host:
        host_font = _font(fonts.regular, fonts.regular_index, _HOST_SIZE)
        canvas.text((WIDTH - _MARGIN, footer), _clip(host, host_font, _TEXT_WIDTH / 2), host_font,
                    colours.muted, colours.background, anchor="rs")
    canvas.draw.rectangle((0, HEIGHT - _BAND, WIDTH, HEIGHT), fill=canvas.colour(colours.primary))
    return canvas.png()
