"""The page's own table of contents (the secondary sidebar), built with lxml.

pydata-sphinx-theme's ``generate_toc_html`` parses the page's local TOC, which
Sphinx has already rendered as HTML, with BeautifulSoup to add its CSS classes,
once per page: the largest single cost of writing a post (PERFORMANCE.md).
:func:`page_toc` makes the same changes with lxml's parser, much faster:

* every list gets ``nav section-nav flex-column``, the lists down to the
  theme's ``show_toc_level`` (plus one, for the page title's entry) also
  ``pst-show_toc_level``;
* every entry gets ``toc-h<level>`` and ``nav-item toc-entry``, its link
  ``nav-link``;
* a lone top-level entry is the page title: the TOC is its sub-list, or nothing
  if it has none.

A fragment of another shape than Sphinx's nested ``<ul>``/``<li>`` lists is left
to pydata's function, as is any other ``kind`` of TOC than ``html``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import lxml.html
from lxml import etree
from markupsafe import Markup

_SHOWN = "pst-show_toc_level"
_LIST_CLASSES = ("nav", "section-nav", "flex-column")
_ENTRY_CLASSES = ("nav-item", "toc-entry")


def element_classes(element: etree._Element) -> list[str]:
    return element.get("class", "").split()


def add_classes(element: etree._Element, classes: list[str] | tuple[str, ...]) -> None:
    element.set("class", " ".join([*element_classes(element), *classes]))


def _classify(ul: etree._Element, level: int, show_toc_level: int) -> int:
    """Add pydata's classes to ``ul`` and its sub-lists; return how many lists and entries were reached."""
    add_classes(ul, ([_SHOWN] if level <= show_toc_level + 1 else []) + list(_LIST_CLASSES))
    reached = 1
    for li in ul.iterchildren("li"):
        add_classes(li, [f"toc-h{level}", *_ENTRY_CLASSES])
        reached += 1
        link = next(li.iter("a"), None)
        if link is not None:
            add_classes(link, ["nav-link"])
        sublist = li.find("ul")
        if sublist is not None:
            reached += _classify(sublist, level + 1, show_toc_level)
    return reached


def page_toc(fragment: str, show_toc_level: int) -> Markup | str | None:
    """pydata's page TOC made from Sphinx's local-TOC ``fragment``; ``None`` if it has another shape."""
    try:
        root = lxml.html.fragment_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return None
    if root.tag != "ul":
        return None
    reached = _classify(root, 1, show_toc_level)
    if reached != sum(1 for _ in root.iter("ul", "li")):
        return None  # lists or entries the walk above did not reach
    entries = root.findall("li")
    if len(entries) == 1:
        sublist = entries[0].find("ul")
        if sublist is None or sublist.find("li") is None:
            return ""
        root = sublist
    # serialised as XML: libxml2's HTML serialiser percent-encodes non-ASCII in href, and
    # pydata's TOC script looks the section up with getElementById on the raw href (a Chinese
    # heading's readable id would not be found, and the script would stop)
    return Markup(etree.tostring(root, encoding="unicode", method="xml", with_tail=False))


def use_page_toc(context: dict[str, Any]) -> None:
    """Replace the page's ``generate_toc_html`` (pydata's, just added) with one that uses :func:`page_toc`."""
    pydata_generate: Callable[..., Any] = context["generate_toc_html"]

    @functools.cache
    def generate_toc_html(kind: str = "html") -> Any:
        if kind == "html" and "toc" in context:
            toc = page_toc(context["toc"], int(context.get("theme_show_toc_level", 1)))
            if toc is not None:
                return toc
        return pydata_generate(kind)

    context["generate_toc_html"] = generate_toc_html
