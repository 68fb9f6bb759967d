"""Font Awesome's icons read from its npm package, and its icon markup in HTML made inline SVG.

Nothing here knows Sphinx.  :class:`IconSet` reads the package (``@fortawesome/fontawesome-free``):
each icon's SVG under ``svgs/<style>/``, the codepoints of its web font from ``css/all.css``
(an alias such as ``fa-search`` is the codepoint of ``fa-magnifying-glass``).
:func:`inline_icons` replaces each empty ``<i>`` or ``<span>`` whose classes name a Font
Awesome style and icon (``<i class="fa-solid fa-bars"></i>``, as the themes write them) by the
icon's ``<svg>``, keeping its classes and attributes: what Font Awesome's script did in the
browser, done when the page is written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

#: The class every inline icon gets (sized in ``static/zhiyuan-icons.css``).
ICON_CLASS = "zy-icon"

# a style class and the folder of svgs/ holding its icons ("fa" is Font Awesome 4's, solid)
STYLES = {"fa-solid": "solid", "fas": "solid", "fa": "solid", "fa-regular": "regular", "far": "regular",
          "fa-brands": "brands", "fab": "brands"}
# classes that change how an icon is drawn, never which icon it is
_MODIFIER = re.compile(
    r"fa-(?:2xs|xs|sm|lg|xl|2xl|\d+x|fw|width-\w+|border|inverse|li|ul|pull-\w+|stack(?:-\dx)?"
    r"|rotate-\w+|flip(?:-\w+)?|spin(?:-\w+)?|pulse|beat(?:-fade)?|bounce|fade|shake|classic)"
)
_CODEPOINT = re.compile(r"\.fa-([a-z0-9-]+)\s*\{\s*--fa:\s*\"\\?([^\"]*)\"")
_SVG = re.compile(r"<svg\b[^>]*\bviewBox=\"([^\"]+)\"[^>]*>(?:\s*<!--(.*?)-->)?(.*)</svg>\s*$", re.DOTALL)
# an empty <i> or <span> (what the themes write for an icon); its attributes as one group
_ELEMENT = re.compile(r"<(i|span)((?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*>\s*</\1>")
_ATTRIBUTE = re.compile(r"([A-Za-z_:][-\w:.]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")


@dataclass(frozen=True)
class Icon:
    """One icon of the package: its style (``solid``, ``regular``, ``brands``), name, ``viewBox``
    and the SVG elements that draw it."""

    style: str
    name: str
    view_box: str
    body: str

    @property
    def width(self) -> float:
        """The icon's width in em (its height is 1em), as the web font's glyph advances."""
        _, _, width, height = (float(number) for number in self.view_box.split())
        return width / height

    def svg(self, attributes: str = "", first: str = "") -> str:
        """The icon as an ``<svg>`` element with *attributes* (HTML, each with its leading space),
        *first* (HTML: a ``<title>``, a comment) its first content."""
        return f'<svg{attributes} viewBox="{self.view_box}" fill="currentColor">{first}{self.body}</svg>'


class IconSet:
    """The icons of Font Awesome's npm package at *package* (read as they are asked for)."""

    def __init__(self, package: Path) -> None:
        self.package = Path(package)
        self._icons: dict[tuple[str, str], Icon | None] = {}
        # an icon element's attributes (HTML) -> its icon and the <svg>'s attributes, or None and
        # the classes of an element naming no icon (see _inline); pages repeat the same few
        self._elements: dict[str, tuple[Icon | None, str]] = {}
        self._codepoints: dict[str, int] | None = None
        self._notice = ""

    def _read(self, style: str, name: str) -> Icon | None:
        path = self.package / "svgs" / style / f"{name}.svg"
        if "/" in name or not path.is_file():
            return None
        match = _SVG.search(path.read_text(encoding="utf-8"))
        if match is None:
            return None
        self._notice = self._notice or (match.group(2) or "").strip()
        # the drawing's colour is the <svg>'s (currentColor), given once
        return Icon(style, name, match.group(1), match.group(3).strip().replace(' fill="currentColor"', ""))

    def codepoints(self) -> dict[str, int]:
        """Every icon name of the web font, aliases included, and its codepoint."""
        if self._codepoints is None:
            text = (self.package / "css" / "all.css").read_text(encoding="utf-8")
            self._codepoints = {}
            for name, value in _CODEPOINT.findall(text):
                try:
                    self._codepoints.setdefault(name, int(value, 16) if len(value) > 1 else ord(value))
                except ValueError:
                    continue
        return self._codepoints

    def icon(self, name: str, style: str = "solid") -> Icon | None:
        """The icon *name* (or an alias of it) in *style*, or None."""
        key = (style, name)
        if key not in self._icons:
            icon = self._read(style, name)
            if icon is None and (codepoint := self.codepoints().get(name)) is not None:
                others = (other for other, point in self.codepoints().items() if point == codepoint and other != name)
                icon = next(filter(None, (self._read(style, other) for other in others)), None)
            self._icons[key] = icon
        return self._icons[key]

    def by_codepoint(self, codepoint: int, styles: tuple[str, ...] = ("solid", "brands", "regular")) -> Icon | None:
        """The icon the web font draws for *codepoint*, in the first of *styles* that has it."""
        names = [name for name, point in self.codepoints().items() if point == codepoint]
        for style in styles:
            for name in names:
                if icon := self.icon(name, style):
                    return icon
        return None

    @property
    def notice(self) -> str:
        """The licence notice the package's SVG files carry (after one was read)."""
        return self._notice


def _attributes(text: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), next((g for g in m.group(2, 3, 4) if g is not None), None))
            for m in _ATTRIBUTE.finditer(text)]


def icon_of(classes: list[str], icons: IconSet) -> Icon | None:
    """The icon an element with *classes* shows in Font Awesome's markup, or None."""
    style = next((STYLES[name] for name in classes if name in STYLES), None)
    if style is None:
        return None
    for name in classes:
        if name.startswith("fa-") and name not in STYLES and not _MODIFIER.fullmatch(name):
            if icon := icons.icon(name.removeprefix("fa-"), style):
                return icon
    return None


def _inline(attributes_html: str, icons: IconSet) -> tuple[Icon | None, str]:
    """The icon an element with the attributes *attributes_html* shows and the attributes of its
    ``<svg>`` (HTML); for an element that names no icon, None and its classes if one of them is a
    style's (else ``""``).  Kept by *icons*: the same elements come back on every page."""
    known = icons._elements.get(attributes_html)
    if known is not None:
        return known
    attributes = _attributes(attributes_html)
    classes = next((value or "" for name, value in attributes if name == "class"), "").split()
    icon = icon_of(classes, icons)
    if icon is None:
        found: tuple[Icon | None, str] = (None, " ".join(classes) if any(name in STYLES for name in classes) else "")
    else:
        names = {name for name, _ in attributes}
        out = [f' class="{html.escape(" ".join([ICON_CLASS, *classes]))}"']
        for name, value in attributes:
            if name == "class":
                continue
            out.append(f" {name}" if value is None else f' {name}="{value.replace(chr(34), "&quot;")}"')
        if "aria-label" not in names and "aria-hidden" not in names:
            out.append(' aria-hidden="true"')
        if "aria-label" in names and "role" not in names:
            out.append(' role="img"')
        out.append(' focusable="false"')
        found = (icon, "".join(out))
    icons._elements[attributes_html] = found
    return found


def inline_icons(page: str, icons: IconSet, unknown: set[str] | None = None) -> str:
    """*page* (HTML) with each of Font Awesome's icon elements an inline ``<svg>``, decorative
    (``aria-hidden``) unless it has an ``aria-label``; its other attributes stay (a ``title``
    too: a ``<title>`` would be text inside a button named otherwise, axe's
    label-content-name-mismatch).  The first one carries the package's licence notice.  The classes of icon elements naming no icon
    of the package are added to *unknown*, and those elements left as they are."""
    if "fa-" not in page and 'class="fa ' not in page:
        return page
    noticed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal noticed
        icon, attributes = _inline(match.group(2), icons)
        if icon is None:
            if unknown is not None and attributes:
                unknown.add(attributes)
            return match.group(0)
        notice = "" if noticed or not icons.notice else f"<!--{icons.notice} -->"
        noticed = True
        return icon.svg(attributes, notice)

    return _ELEMENT.sub(replace, page)
