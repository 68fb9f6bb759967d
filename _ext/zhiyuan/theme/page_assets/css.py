"""Pure functions over CSS text: join style sheets into one, and keep only the rules a site can use.

Nothing here knows Sphinx: the extension (:mod:`zhiyuan.theme.page_assets`) hands in the
text of each style sheet and the words the site's pages and scripts may contain.

* :func:`rebase_urls` rewrites a sheet's relative ``url()`` references for its new place;
  :func:`inline_imports` replaces ``@import`` of a local sheet by the sheet (an import is a
  request the browser makes only after it has the importing sheet: a chain that blocks
  rendering).
* :func:`purge` keeps a rule only if each class and id its selector requires is among the
  words the pages may contain, as PurgeCSS does with its default extractor: any
  ``[A-Za-z0-9_-]+`` run in the pages' sources and scripts counts (:func:`words`), so a class
  that a script adds or that a template builds from parts is kept.  Classes inside ``:not()``,
  ``:is()``, ``:where()`` and ``:has()``, attribute selectors, and selectors with escapes are
  never grounds to drop a rule.
* :func:`icon_codepoints` reads which private-use characters (icon-font glyphs such as
  Font Awesome's ``"\\f185"``) the kept rules still name.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

import tinycss2

_WORD = re.compile(r"[A-Za-z0-9_-]+")
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_PATH_AND_SUFFIX = re.compile(r"([^?#]*)(.*)", re.DOTALL)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"])([^'"]+)\1\s*\)?\s*;""")
_CLASS_OR_ID = re.compile(r"([.#])(-?[A-Za-z_][A-Za-z0-9_-]*)")
_FUNCTIONAL_PSEUDO = re.compile(r":{1,2}[A-Za-z-]+\(")
# a CSS escape of a character in Unicode's private use areas (where icon fonts put their glyphs)
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_BLOCK_AT_RULES = {"media", "supports", "layer", "container", "document"}


def words(text: str) -> set[str]:
    """Every run of ``[A-Za-z0-9_-]`` in *text*: the class and id names it may hold."""
    return set(_WORD.findall(text))


def _is_local(url: str) -> bool:
    return not (url.startswith(("data:", "#", "/")) or "://" in url)


def rebase_urls(css: str, sheet: str, bundle: str) -> str:
    """*css*, the text of the sheet at path *sheet*, with its relative ``url()``\\ s made relative to *bundle*.

    Both paths are relative to the same root (e.g. ``_static/katex/katex.min.css`` and
    ``_static/zhiyuan.css``); query strings and fragments are kept.
    """
    sheet_dir = posixpath.dirname(sheet)
    bundle_dir = posixpath.dirname(bundle)

    def rebase(match: re.Match[str]) -> str:
        quote, url = match.group(1), match.group(2).strip()
        if not _is_local(url):
            return match.group(0)
        path, suffix = _PATH_AND_SUFFIX.match(url).groups()
        target = posixpath.normpath(posixpath.join(sheet_dir, path))
        relative = posixpath.relpath(target, bundle_dir or ".")
        return f"url({quote}{relative}{suffix}{quote})"

    return _URL.sub(rebase, css)


def inline_imports(css: str, sheet: str, read: Callable[[str], str | None]) -> str:
    """Replace each ``@import`` of a local sheet in *css* (the sheet at *sheet*) by that sheet's text.

    *read* gets the imported sheet's path (relative to the same root as *sheet*) and returns
    its text, or None when there is no such file (the ``@import`` is then kept).  Imported
    sheets are rebased to *sheet* and their own imports inlined in turn.
    """

    def inline(match: re.Match[str]) -> str:
        url = match.group(2)
        if not _is_local(url):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(posixpath.dirname(sheet), url))
        text = read(path)
        if text is None:
            return match.group(0)
        return rebase_urls(inline_imports(text, path, read), path, sheet)

    return _IMPORT.sub(inline, css)


def _without_functional_pseudos(selector: str) -> str:
    """*selector* with the argument of every ``:not()``, ``:is()``, ``:nth-child()``… removed."""
    out = []
    index = 0
    while match := _FUNCTIONAL_PSEUDO.search(selector, index):
        out.append(selector[index : match.start()])
        depth, position = 1, match.end()
        while position < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[position], 0)
            position += 1
        index = position
    out.append(selector[index:])
    return "".join(out)


def selector_used(selector: str, used: set[str] | None) -> bool:
    """Whether a page holding only the words *used* may match *selector* (one complex selector);
    always, when *used* is None."""
    if used is None or "\\" in selector:
        return True  # an escaped name (e.g. ``.w-1\\/2``): not worth parsing, keep it
    plain = re.sub(r"\[[^\]]*\]", "", _without_functional_pseudos(selector))
    return all(name in used for _, name in _CLASS_OR_ID.findall(plain))


def split_selectors(prelude: str) -> list[str]:
    """A selector list's complex selectors (commas inside parentheses do not split)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


def _purge_rules(rules: Iterable[object], used: set[str] | None) -> list[str]:
    kept: list[str] = []
    for rule in rules:
        kind = getattr(rule, "type", None)
        if kind == "qualified-rule":
            selectors = [s for s in split_selectors(tinycss2.serialize(rule.prelude)) if selector_used(s, used)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{tinycss2.serialize(rule.content).strip()}}}")
        elif kind == "at-rule":
            if rule.lower_at_keyword in _BLOCK_AT_RULES and rule.content is not None:
                inner = _purge_rules(
                    tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used
                )
                if inner:
                    prelude = tinycss2.serialize(rule.prelude).strip()
                    kept.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
            else:
                kept.append(rule.serialize().strip())
    return kept


def purge(css: str, used: set[str]) -> str:
    """*css* without the rules whose every selector requires a class or id not in *used*.

    Comments go; rules that stay are written one per line, unchanged.  ``@media``,
    ``@supports``, ``@layer`` and ``@container`` blocks are purged inside and dropped when
    empty; every other at-rule (``@font-face``, ``@keyframes``…) is kept.
    """
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(_purge_rules(rules, used)) + "\n"


def compact(css: str) -> str:
    """*css* without comments, one rule per line (what :func:`purge` writes, every rule kept)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(_purge_rules(rules, None)) + "\n"


def icon_codepoints(css: str) -> set[int]:
    """The private-use characters *css* names, escaped (``"\\f185"``) or not: icon-font glyphs."""
    codepoints = {int(match.group(1), 16) for match in _ESCAPE.finditer(css)} | {ord(char) for char in css}
    return {c for c in codepoints if 0xE000 <= c <= 0xF8FF or c >= 0xF0000}


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def font_face_urls(rule: str) -> list[str]:
    """The ``url()``\\ s in an ``@font-face`` *rule*'s text."""
    return [match.group(2).strip() for match in _URL.finditer(rule)]


_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")
_SRC = re.compile(r"src\s*:[^;}]*")


def font_family(rule: str) -> str:
    """The family an ``@font-face`` *rule* names (quotes and CSS escapes removed), or ''."""
    match = _FONT_FAMILY.search(rule)
    return re.sub(r"\\(.)", r"\1", match.group(1)).strip().strip("'\"") if match else ""


def with_source(rule: str, url: str) -> str:
    """The ``@font-face`` *rule* loading only the WOFF2 font at *url*."""
    return _SRC.sub(f'src:url({url}) format("woff2")', rule, count=1)


def map_font_faces(css: str, replace: Callable[[str], str | None]) -> str:
    """*css* with each ``@font-face`` rule replaced by ``replace(rule)`` (None drops the rule)."""
    return _FONT_FACE.sub(lambda match: replace(match.group(0)) or "", css)



# -- Which faces a page's elements use -----------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_FLAT_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
Face = tuple[str, int, str]  # family, weight, style


def _weight(value: str) -> int:
    value = value.strip()
    return {"normal": 400, "bold": 700}.get(value, int(value) if value.isdigit() else 400)


def _face(declarations: dict[str, str], family: str) -> Face:
    return (family, _weight(declarations.get("font-weight", "normal")), declarations.get("font-style", "normal").strip())


def font_faces(text: str) -> dict[Face, str]:
    """The ``@font-face`` rules of *text*: ``{(family, weight, style): url of its first source}``."""
    faces = {}
    for rule in _FONT_FACE.findall(text):
        urls = font_face_urls(rule)
        declarations = dict(_DECLARATION.findall(rule[rule.index("{") + 1 : -1]))
        if urls:
            faces[_face(declarations, font_family(rule))] = urls[0]
    return faces


def font_uses(text: str, family_prefix: str) -> list[tuple[frozenset[str], Face]]:
    """The rules of *text* that set a font whose family starts with *family_prefix*: for each of
    their selectors, the classes an element needs to match it and the face it then uses."""
    uses = []
    for prelude, body in _FLAT_RULE.findall(_COMMENT.sub("", text)):
        if prelude.strip().startswith("@"):
            continue
        declarations = {name: value.strip() for name, value in _DECLARATION.findall(body)}
        families = declarations.get("font-family") or declarations.get("font", "")
        family = next((part.strip(" '\"") for part in families.split(",") if part.strip(" '\"").split()[-1:]
                       and part.strip(" '\"").split()[-1].startswith(family_prefix)), None)
        if family is None:
            continue
        face = _face(declarations, family.split()[-1])
        for selector in split_selectors(prelude):
            classes = frozenset(name for kind, name in _CLASS_OR_ID.findall(_without_functional_pseudos(selector))
                                if kind == ".")
            uses.append((classes, face))
    return uses
