"""The size in pixels an image file declares, read from its first bytes: PNG, GIF, JPEG, WebP, SVG.

A page that gives each ``<img>`` its ``width`` and ``height`` keeps its layout while images
load (the browser reserves the box from their ratio).  Raster formats state their size in a
header; an SVG in its root element's ``width`` and ``height`` (pixels, or numbers without a
unit) or else its ``viewBox``.  Pure functions of the file, no imaging library:
:func:`image_size` returns None for anything else (or a damaged file).
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

_HEAD = 64 * 1024  # enough for any header below, and for an SVG's root element
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*\Z")
# JPEG start-of-frame markers (baseline, progressive, …), which hold the size; not DHT/JPG/DAC
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _png(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def _gif(data: bytes) -> tuple[int, int] | None:
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _pixels(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match.group(1)) if match else None


def _svg(path: Path) -> tuple[int, int] | None:
    try:
        for _event, element in ET.iterparse(path, events=("start",)):
            break  # the root element is all we need
        else:
            return None
    except (ET.ParseError, OSError):
        return None
    if not element.tag.endswith("svg"):
        return None
    width, height = _pixels(element.get("width")), _pixels(element.get("height"))
    box = [float(n) for n in re.split(r"[\s,]+", (element.get("viewBox") or "").strip()) if n]
    if (width is None or height is None) and len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width is not None:  # one given: the other from the box's ratio
            height = width * box[3] / box[2]
        elif height is not None:
            width = height * box[2] / box[3]
        else:
            width, height = box[2], box[3]
    if not width or not height:
        return None
    return round(width), round(height)


def image_size(path: Path) -> tuple[int, int] | None:
    """``(width, height)`` in pixels that the image file at *path* declares, or None."""
    if path.suffix.lower() in (".svg", ".svgz"):
        return _svg(path) if path.suffix.lower() == ".svg" else None
    try:
        with path.open("rb") as file:
            data = file.read(_HEAD)
    except OSError:
        return None
    for reader in (_png, _gif, _jpeg, _webp):
        try:
            size = reader(data)
        except (struct.error, IndexError):
            size = None
        if size is not None:
            return size if size[0] > 0 and size[1] > 0 else None
    return None
