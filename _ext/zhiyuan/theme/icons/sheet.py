"""A style sheet without Font Awesome's rules, and with the icons its rules drew in Font
Awesome's font drawn as masks of the icons' SVG files.

Nothing here knows Sphinx.  :func:`without_font_awesome` takes a sheet's text (the joined sheet,
where the themes' sheets carry Font Awesome's whole web-font stylesheet) and leaves out:

* the rules whose every selector is made of Font Awesome's classes (``.fa-solid``,
  ``.fa-lg``, ``:is(.fas,.far)::before``, ``.fa-ul>li``), and declarations of its custom
  properties (``--fa-…``, what remains of ``:root{--fa-font-solid:…}``);
* ``@font-face`` rules of its families and its ``@keyframes``.

The themes' own rules that name one of its classes beside their own (pydata's
``.bd-search .fa-solid.fa-magnifying-glass``, which places the search field's icon) stay: the
inline icons keep those classes.  A rule that draws an icon as text, a ``content`` that is (or
is a custom property that is, through ``var()``) one private-use character, and one that sets
Font Awesome's font (``font: var(--fa-font-solid)``, ``font-family: "Font Awesome …"``), draws
it as a mask instead: its ``content`` becomes ``""``, the icon's SVG file its mask image and the
glyph's width its width, its font a box where the glyph sat (:data:`MASK_BOX`) filled with the
text colour (``currentColor``, so dark mode and the themes' colours apply as they did); the
width and height it gave the glyph's box, which the glyph overflowed, go.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import tinycss2

from zhiyuan.theme.page_assets.css import split_selectors

# Font Awesome's classes: its styles, its icons and modifiers, its SVG framework's
_FA_CLASS = re.compile(r"fa|fa[srbl]|fa-[\w-]+|svg-inline--fa")
_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,.*)?\)", re.DOTALL)
_FA_FONT = re.compile(r"--fa-font-(\w+)")
_BLOCKS = {"media", "supports", "layer", "container", "document"}

#: What a rule's Font Awesome font becomes: a box as high as a line of its text, filled with the
#: text colour through the mask, 1em high in its middle, where the glyph sat (its bottom 0.125em
#: below the baseline); where ``lh`` is unknown (older browsers), a box of 1em.
MASK_BOX = (
    "display:inline-block;width:1em;height:1em;height:1lh;vertical-align:-.125em;"
    "vertical-align:calc(-.125em - (1lh - 1em)/2);background-color:currentColor;"
    "-webkit-mask-position:center;mask-position:center;-webkit-mask-repeat:no-repeat;mask-repeat:no-repeat;"
    "-webkit-mask-size:auto 1em;mask-size:auto 1em"
)

#: ``(codepoint, styles)`` → the URL of the icon's SVG file and its width in em, or None
IconFile = Callable[[int, tuple[str, ...]], "tuple[str, float] | None"]


def font_awesome_selector(selector: str) -> bool:
    """Whether *selector* (one complex selector) is made of Font Awesome's classes alone."""
    classes = _CLASS.findall(re.sub(r"\[[^\]]*\]", "", selector))
    return bool(classes) and "#" not in selector and all(_FA_CLASS.fullmatch(name) for name in classes)


def _font_awesome_property(name: str) -> bool:
    return name == "--fa" or name.startswith(("--fa-", "--_fa-"))


def _declarations(rule: object) -> list[object]:
    return [item for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            if item.type == "declaration"]


def _custom_properties(rules: Iterable[object], found: dict[str, str]) -> dict[str, str]:
    """The custom properties *rules* declare (nested ones too): name → value text."""
    for rule in rules:
        if rule.type == "qualified-rule":
            for item in _declarations(rule):
                if item.name.startswith("--"):
                    found[item.name] = tinycss2.serialize(item.value).strip()
        elif rule.type == "at-rule" and rule.lower_at_keyword in _BLOCKS and rule.content is not None:
            _custom_properties(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), found)
    return found


def _icon_codepoint(value: str, properties: dict[str, str]) -> int | None:
    """The private-use character *value* (a ``content``) is, through ``var()``\\ s, or None."""
    for _ in range(10):
        match = _VAR.fullmatch(value.strip())
        if match is None:
            break
        value = properties.get(match.group(1), "")
    tokens = [token for token in tinycss2.parse_component_value_list(value) if token.type != "whitespace"]
    if len(tokens) != 1 or tokens[0].type != "string" or len(tokens[0].value) != 1:
        return None
    codepoint = ord(tokens[0].value)
    return codepoint if 0xE000 <= codepoint <= 0xF8FF or codepoint >= 0xF0000 else None


def _font_style(item: object) -> str | None:
    """The Font Awesome style a ``font`` or ``font-family`` declaration sets, or None."""
    value = tinycss2.serialize(item.value)
    if item.lower_name == "font" and (match := _FA_FONT.search(value)):
        return match.group(1)
    if item.lower_name in ("font", "font-family") and "Font Awesome" in value.replace("\\", ""):
        return "brands" if "Brands" in value else "solid"
    return None


def _rule(rule: object, properties: dict[str, str], icon_file: IconFile) -> str | None:
    """A qualified *rule* as it stays (None: left out)."""
    prelude = tinycss2.serialize(rule.prelude).strip()
    if all(font_awesome_selector(selector) for selector in split_selectors(prelude)):
        return None
    declarations = _declarations(rule)
    styles = [style for item in declarations if (style := _font_style(item))]
    preference = tuple(dict.fromkeys([*styles, "solid", "brands", "regular"]))
    icons = {id(item): codepoint for item in declarations
             if item.lower_name == "content" and (codepoint := _icon_codepoint(tinycss2.serialize(item.value), properties))}
    kept = [item for item in declarations if not _font_awesome_property(item.name)]
    if not styles and not icons and len(kept) == len(declarations):
        return rule.serialize()
    if not kept:
        return None
    parts = []
    width = None
    for item in kept:
        found = icon_file(icons[id(item)], preference) if id(item) in icons else None
        if found is not None:
            url, width = found
            parts += ['content:""', f"-webkit-mask-image:url({url})", f"mask-image:url({url})"]
        elif _font_style(item):
            parts.append(MASK_BOX)
        elif styles and item.lower_name in ("width", "height"):
            continue  # the box of a glyph that overflowed it: the mask's box is the glyph's
        else:
            parts.append(item.serialize().strip())
    if width is not None:
        parts.append(f"width:{width:.4g}em")  # the glyph's advance
    return f"{prelude}{{{';'.join(parts)}}}"


def _rules(rules: Iterable[object], properties: dict[str, str], icon_file: IconFile) -> tuple[str, bool]:
    """The text of *rules* as they stay, and whether any rule stays."""
    out: list[str] = []
    any_rule = False
    for rule in rules:
        if rule.type == "qualified-rule":
            text = _rule(rule, properties, icon_file)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            family = next((tinycss2.serialize(item.value) for item in _declarations(rule)
                           if item.lower_name == "font-family"), "")
            text = None if "Font Awesome" in family.replace("\\", "") else rule.serialize()
        elif rule.type == "at-rule" and rule.lower_at_keyword.endswith("keyframes"):
            name = tinycss2.serialize(rule.prelude).strip()
            text = None if name.startswith("fa-") else rule.serialize()
        elif rule.type == "at-rule" and rule.lower_at_keyword in _BLOCKS and rule.content is not None:
            inner, kept = _rules(tinycss2.parse_rule_list(rule.content, skip_comments=False, skip_whitespace=False),
                                 properties, icon_file)
            prelude = tinycss2.serialize(rule.prelude)
            text = f"@{rule.at_keyword}{prelude}{{{inner}}}" if kept else None
        else:
            out.append(rule.serialize())
            continue
        if text is not None:
            out.append(text)
            any_rule = True
        elif out and out[-1].isspace():
            out.pop()  # the line break before a rule left out
    return "".join(out), any_rule


def without_font_awesome(css: str, icon_file: IconFile) -> str:
    """*css* without Font Awesome's rules, its font's icons drawn as masks (see the module
    docstring).  ``icon_file(codepoint, styles)`` is the URL (relative to the sheet) of the SVG
    file of the icon the font draws for *codepoint*, in the first of *styles* (``solid``,
    ``brands``, ``regular``) that has it, and the icon's width in em; or None (the rule is then
    left drawing text)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    properties = _custom_properties(rules, {})
    return _rules(rules, properties, icon_file)[0]
