"""What the search index takes from a document: its sections' headings and text, its code, its
glossary entries.  Pure functions over a doctree as read (before references are resolved), in the
manner of sphinxext-opengraph's description parser.

A document is cut into :class:`Section` records, one per section (its own text, not its
subsections') and, on a glossary page, one per glossary entry, so that a result can link to
the place that matched and show that place's text.  A formula is left out (its TeX source is not
what a reader types) and marked by :data:`FORMULA`, which no term is made of and which a snippet
shows as ``[公式]``, as the home page's excerpts do; code is kept apart from prose, as
identifiers readers look up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
from sphinx import addnodes

# Ids docutils numbers when a title gives none it can use (Chinese titles): not a reader's anchor.
_NUMBERED_ID = re.compile(r"id\d+\Z")
#: Where a formula was, in a section's text (a private-use character: not a term, not a letter).
FORMULA = "\ue000"
# Nodes whose text is not the document's prose.
_SKIPPED = (nodes.comment, nodes.raw, nodes.system_message,
            nodes.substitution_definition, nodes.target, nodes.image, addnodes.index, addnodes.toctree)


@dataclass(frozen=True)
class Section:
    """One place a result can point at: its anchor (``""`` for the top of the page), heading,
    prose and code."""

    anchor: str
    heading: str
    text: str
    code: str = ""


@dataclass(frozen=True)
class GlossaryEntry:
    """A glossary entry: its anchor, its terms (synonyms of one another), its definition and the
    labels it points readers to (``详见 {ref}`dpo```)."""

    anchor: str
    terms: tuple[str, ...]
    definition: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchDocument:
    """A document as the search index sees it."""

    sections: tuple[Section, ...]
    glossary: tuple[GlossaryEntry, ...] = ()


def anchor_of(node: nodes.Element) -> str:
    """The id links to *node* use: its first id (for a section, the readable one that
    :mod:`zhiyuan.web.readable_anchors` put first), unless docutils numbered it; then the last
    id it did not number (MyST's heading slug), else the numbered one, else ``""``."""
    ids = node.get("ids", [])
    if ids and not _NUMBERED_ID.match(ids[0]):
        return ids[0]
    readable = [node_id for node_id in ids if not _NUMBERED_ID.match(node_id)]
    return readable[-1] if readable else (ids[0] if ids else "")


def _squash(texts: list[str]) -> str:
    return " ".join("".join(texts).split())


def _collect(node: nodes.Node, prose: list[str], code: list[str]) -> None:
    """The prose and code of *node*, without its subsections, formulas and glossaries."""
    if isinstance(node, nodes.Text):
        prose.append(node.astext())
        return
    if isinstance(node, (nodes.math, nodes.math_block)):
        prose.append(f" {FORMULA} ")
        return
    if isinstance(node, (*_SKIPPED, nodes.section, addnodes.glossary)):
        return
    if isinstance(node, nodes.literal_block):
        code.append(node.astext())
        return
    for child in node.children:
        _collect(child, prose, code)
    if isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
        prose.append(" ")  # paragraphs (in lists and tables too) do not run together


def _section(node: nodes.Element, anchor: str, heading: str) -> Section:
    prose: list[str] = []
    code: list[str] = []
    for child in node.children:
        if not isinstance(child, nodes.title):
            _collect(child, prose, code)
    return Section(anchor, heading, _squash(prose), "\n".join(code))


def _glossary_entry(item: nodes.definition_list_item) -> GlossaryEntry:
    terms = [term for term in item.findall(nodes.term)]
    prose: list[str] = []
    code: list[str] = []
    targets: list[str] = []
    for definition in item.findall(nodes.definition):
        _collect(definition, prose, code)
        targets += [xref["reftarget"] for xref in definition.findall(addnodes.pending_xref)
                    if xref.get("refdomain") == "std" and xref.get("reftype") == "ref"]
    return GlossaryEntry(
        anchor=anchor_of(terms[0]) if terms else "",
        terms=tuple(_squash([term.astext()]) for term in terms),
        definition=_squash(prose),
        targets=tuple(dict.fromkeys(targets)),
    )


def search_document(doctree: nodes.document) -> SearchDocument:
    """The sections and glossary entries of *doctree*; the first section is the page's top
    (its text before the first subsection), with anchor ``""``; each glossary entry is a section
    too, after the others."""
    sections: list[Section] = []
    top = next(iter(doctree.findall(nodes.section)), None)
    sections.append(_section(doctree if top is None else top, "", "" if top is None else top[0].astext()))
    if top is not None:
        # text before the first section (rare in MyST) belongs to the top too
        before = _section(doctree, "", "")
        if before.text or before.code:
            sections[0] = Section("", sections[0].heading, _squash([before.text, " ", sections[0].text]),
                                  "\n".join(filter(None, [before.code, sections[0].code])))
        for section in top.findall(nodes.section):
            if section is not top and section.children and isinstance(section[0], nodes.title):
                sections.append(_section(section, anchor_of(section), section[0].astext()))
    glossary = tuple(
        _glossary_entry(item)
        for node in doctree.findall(addnodes.glossary)
        for item in node.findall(nodes.definition_list_item)
    )
    sections += [Section(entry.anchor, " / ".join(entry.terms), entry.definition) for entry in glossary]
    return SearchDocument(tuple(sections), glossary)
