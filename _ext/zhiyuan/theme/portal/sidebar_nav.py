"""The primary sidebar's site navigation, built with lxml.

pydata-sphinx-theme's ``generate_toctree_html`` parses the toctree Sphinx has
rendered with BeautifulSoup and changes it through CSS selectors; the first
``select`` in a process compiles soupsieve's patterns, in every build that
renders a navigation (a clean build: :mod:`.navigation` keeps them between
builds).  :func:`sidebar_nav` makes the same changes for the
sidebar (the whole toctree, ``kind="sidebar"``) with lxml:

* an entry marked ``current`` is also ``active``;
* entries linking to a section of a page (a ``#`` in the link, not alone) are
  dropped;
* the top-level lists get ``nav bd-sidenav``;
* an entry with a sub-list gets ``has-children``, and all it holds goes into a
  ``<details>`` (its link moved back in front), opened if the entry is
  ``current`` or on a level above ``show_nav_level``; the ``<summary>`` holds
  the toggle's chevron.

Parts made collapsible (``show_nav_level`` 0, captions inside entries) are left
to pydata's function, as is a fragment with an entry on level 0.
"""

from __future__ import annotations

import lxml.html
from lxml import etree
from markupsafe import Markup

from .page_toc import add_classes, element_classes


def _add_text(element: etree._Element, text: str | None) -> None:
    """Append *text* where it follows *element*'s last child (or its opening tag)."""
    if not text:
        return
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _detach(element: etree._Element) -> None:
    """Remove *element*, leaving the text after it in place (BeautifulSoup's ``extract``)."""
    parent = element.getparent()
    previous = element.getprevious()
    tail, element.tail = element.tail, None
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _attached(element: etree._Element, root: etree._Element) -> bool:
    while element is not None:
        if element is root:
            return True
        element = element.getparent()
    return False


def _collapse(li: etree._Element) -> None:
    """pydata's ``add_collapse_checkboxes`` for one entry with a sub-list."""
    current = "current" in element_classes(li)
    add_classes(li, ["has-children"])
    details = etree.Element("details")
    details.text, li.text = li.text, None
    for child in list(li):
        details.append(child)  # with its tail
    li.append(details)
    link = next((child for child in details if child.tag == "a" and "reference" in element_classes(child)), None)
    if link is not None:
        _detach(link)
        li.insert(0, link)
    summary = etree.Element("summary")
    toggle = etree.SubElement(summary, "span", {"class": "toctree-toggle", "role": "presentation"})
    etree.SubElement(toggle, "i", {"class": "fa-solid fa-chevron-down"})
    summary.tail, details.text = details.text, None
    details.insert(0, summary)
    if current:
        details.set("open", "open")


def sidebar_nav(fragment: str, show_nav_level: int) -> Markup | None:
    """pydata's sidebar navigation made from Sphinx's toctree ``fragment``; ``None`` for the shapes
    left to pydata."""
    if show_nav_level < 1:
        return None
    if not fragment.strip():
        return Markup(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    entries = list(root.iter("li"))
    if any("toctree-l0" in element_classes(li) or li.find(".//p") is not None for li in entries):
        return None
    for li in entries:
        if "current" in element_classes(li):
            add_classes(li, ["active"])
    for li in entries:
        if not _attached(li, root):  # in an entry dropped above
            continue
        link = next(li.iter("a"), None)
        if link is not None:
            href = link.get("href")
            if href is None:
                return None  # pydata would fail; let it
            if "#" in href and href != "#":
                _detach(li)
    for ul in root.iterchildren("ul"):
        add_classes(ul, ["nav", "bd-sidenav"])
    for li in list(root.iter("li")):
        if li.find(".//ul") is not None:
            _collapse(li)
    for level in range(show_nav_level):
        for li in root.iter("li"):
            if f"toctree-l{level}" in element_classes(li):
                for details in li.iterchildren("details"):
                    details.set("open", "open")
    html = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return Markup(html)
