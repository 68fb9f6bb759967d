"""The blocks of a long page past its first screens, laid out when they come near the screen.

A formula-heavy post is some twenty thousand elements, and a phone lays out every section
near the screen before its first paint (each section of a post below the first is
``content-visibility: auto`` in ``docs/_static/portal.css``).  One of those sections may
itself be several screens of formulas: on a throttled phone that is one layout task of a
quarter second or more.  The paragraphs, lists, display formulas and code blocks of a section
that come after the first ``later_blocks_after`` characters of the page's text
(:func:`mark_later_blocks`) get the class :data:`LATER`, which the sheet makes
``content-visibility: auto`` as well: the browser lays them out as they near the screen, a
few at a time.  Blocks nearer the top are never marked: a block of the first screen drawn a
frame after the rest would move what follows it (a layout shift).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from zhiyuan.config import declare

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

#: The class of a block laid out only when it comes near the screen.
LATER = "zy-later"

# what is marked: blocks directly in a section, which the sheet may hold back as a whole
_BLOCKS = (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list, nodes.definition_list,
           nodes.math_block, nodes.literal_block, nodes.block_quote)


def mark_later_blocks(doctree: nodes.Node, after: int) -> int:
    """Give the class :data:`LATER` to each block directly in a section of *doctree* that
    comes after *after* characters of its text; how many were marked."""
    seen = 0
    marked = 0
    for node in doctree.findall():
        if isinstance(node, nodes.Text):
            seen += len(node.strip())
        elif seen >= after and isinstance(node, _BLOCKS) and isinstance(node.parent, nodes.section):
            node["classes"].append(LATER)
            marked += 1
    return marked


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Mark the later blocks of a page written as HTML."""
    if app.builder.format == "html":
        mark_later_blocks(doctree, app.config.later_blocks_after)


def setup(app: Sphinx) -> dict[str, Any]:
    declare(app, "zhiyuan.theme.later_blocks")
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
