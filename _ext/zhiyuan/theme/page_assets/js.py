"""Pure functions over scripts: classic scripts joined into one file that runs each as it ran.

Nothing here knows Sphinx: the extension (:mod:`zhiyuan.theme.page_assets`) decides which
scripts of a page join, reads them, and names and writes the file.

Deferred classic scripts run one after the other, in the order of their tags, each to its
end, sharing one global scope; :func:`join` puts them one after the other in one script,
which the browser then runs as one.  What keeps each part as it was:

* the file starts with a statement that is not a string (``void 0;``), so a part's
  ``"use strict"`` is never the file's directive: it would make every part strict.  A part
  that opens with it runs in sloppy mode instead, the mode of everything around it;
* each part ends with a line of its own holding ``;``, after a line break: a part ending in
  an expression without a semicolon, or in a ``//`` comment, cannot run on into the next
  (``(…)`` or ``[…]`` there would call or index it);
* ``//# sourceMappingURL=`` comments go (:func:`without_source_maps`): each maps its own
  file, and a joined file's one map would be wrong for every other part.

A part that throws while it runs stops the parts after it, where as a script of its own it
stopped only itself; the site's browser tests check that no page reports an error.
"""

from __future__ import annotations

import re

#: How a joined file starts: a comment naming its parts (under ``_static/``), then the first statement.
_HEADER = "/* joined by zhiyuan.theme.page_assets: {names} */\nvoid 0;\n"
_HEADER_NAMES = re.compile(r"/\* joined by zhiyuan\.theme\.page_assets: (.*?) \*/\n")
_SOURCE_MAP = re.compile(r"^[ \t]*(?://[#@][ \t]*sourceMappingURL=[^\n]*|/\*[#@][ \t]*sourceMappingURL=[^\n]*?\*/)[ \t]*$",
                         re.MULTILINE)


def joinable_name(name: str) -> bool:
    """Whether a part may be called *name* in a joined file's comments (no ``*/`` and no line break)."""
    return "*/" not in name and "\n" not in name and " " not in name


def without_source_maps(text: str) -> str:
    """*text* without its ``sourceMappingURL`` comment lines."""
    return _SOURCE_MAP.sub("", text)


def join(parts: list[tuple[str, str]]) -> str:
    """One script running the scripts *parts* (``(name, text)``, names as :func:`joinable_name`)
    one after the other; each part follows a ``/* name */`` line."""
    text = _HEADER.format(names=" ".join(name for name, _ in parts))
    for name, part in parts:
        text += f"/* {name} */\n{without_source_maps(part.removeprefix(chr(0xFEFF)))}\n;\n"
    return text


def part_names(text: str) -> list[str] | None:
    """The names of the parts of the joined file *text*, in order; None if it is no joined file."""
    match = _HEADER_NAMES.match(text)
    return match.group(1).split(" ") if match else None
