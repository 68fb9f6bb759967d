"""Plain-text excerpts of a document's opening, computed from its doctree.

Two pure steps, so the expensive walk happens once, when a document is read:

* :func:`collect_tokens` walks the doctree (a :class:`docutils.nodes.NodeVisitor`
  that stops as soon as it has more than enough text, or at a ``<!--more-->`` comment,
  where the author ended the excerpt as Hexo, Jekyll and Hugo let them) and returns tokens: plain
  text, placeholders for what is not prose (code, math, images, tables), and
  cross-references whose display text is only known once every document is
  read;
* :func:`render_excerpt` resolves those references, collapses whitespace and
  cuts the text at a number of user-perceived characters (Unicode extended
  grapheme clusters), never inside a cluster or a placeholder.

:func:`excerpt` composes the two for callers that have everything at hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Union

import regex
from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join

__all__ = [
    "DEFAULT_PLACEHOLDERS",
    "Token",
    "collect_tokens",
    "excerpt",
    "grapheme_count",
    "render_excerpt",
]

DEFAULT_PLACEHOLDERS: dict[str, str] = {
    "code": "[代码]",
    "display_math": "[公式]",
    "inline_math": "[Math]",
    "image": "[图片]",
    "table": "[表格]",
}

ELLIPSIS = "..."

# A token is plain text (str), a placeholder ("placeholder", key), or a
# cross-reference whose text is its target's title: ("ref", label) or ("doc", docname).
Token = Union[str, tuple[str, str]]
Resolver = Callable[[str, str], "str | None"]

_GRAPHEME = regex.compile(r"\X")
_WHITESPACE = regex.compile(r"\s+")
# Placeholders travel through whitespace folding and cutting as single
# private-use characters, so they can only be kept or dropped whole.
_SENTINEL_BASE = 0xF0000

# the comment that ends an excerpt in Hexo, Jekyll and Hugo posts: <!--more--> or <!-- more -->
# (a post's HTML comments are comment nodes holding their markup: zhiyuan.posts.body)
_MORE = re.compile(r"\s*(?:<!--)?\s*more\s*(?:-->)?\s*", re.IGNORECASE)
_SKIPPED = (
    nodes.comment,
    nodes.raw,
    nodes.footnote,
    nodes.citation,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_definition,
    nodes.target,
    nodes.system_message,
    nodes.docinfo,
    nodes.meta,
    addnodes.toctree,
    addnodes.index,
    addnodes.only,
    nodes.Invisible,
)
_PLACEHOLDER_NODES: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.literal_block, "code"),
    (nodes.doctest_block, "code"),
    (nodes.math_block, "display_math"),
    (nodes.math, "inline_math"),
    (nodes.figure, "image"),
    (nodes.image, "image"),
    (nodes.table, "table"),
)
_BLOCKS = (nodes.Body, nodes.Structural, nodes.title, nodes.list_item, nodes.term, nodes.definition)


def _is_block(node: nodes.Node) -> bool:
    # nodes.General derives from nodes.Body, so references would count without the Inline check
    return isinstance(node, _BLOCKS) and not isinstance(node, nodes.Inline)


def grapheme_count(text: str) -> int:
    """Number of user-perceived characters (extended grapheme clusters) in *text*."""
    return len(_GRAPHEME.findall(text))


class _Done(Exception):
    """Enough text collected."""


class _TokenCollector(nodes.NodeVisitor):
    """Collect excerpt tokens until more than *limit* characters are certain."""

    def __init__(self, document: nodes.document, limit: int) -> None:
        super().__init__(document)
        self.tokens: list[Token] = []
        self.limit = limit
        self.known = 0  # grapheme clusters of non-space text and placeholders so far
        # the document title, and the titles of admonitions and topics
        self.skipped_titles: set[int] = set()
        title = document.next_node(nodes.title)  # the document's own title, wherever docutils put it
        if title is not None:
            self.skipped_titles.add(id(title))

    # -- helpers --

    def _add(self, token: Token, weight: int) -> None:
        self.tokens.append(token)
        self.known += weight
        if self.known > self.limit:
            raise _Done

    def _space(self) -> None:
        if self.tokens and self.tokens[-1] != " ":
            self.tokens.append(" ")

    # -- the visitor --

    def dispatch_visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.comment) and _MORE.fullmatch(node.astext()):
            raise _Done  # the author ended the excerpt here
        if id(node) in self.skipped_titles or isinstance(node, _SKIPPED):
            raise nodes.SkipNode
        for node_type, key in _PLACEHOLDER_NODES:
            if isinstance(node, node_type):
                block = not isinstance(node, nodes.math)
                if block:
                    self._space()
                self._add(("placeholder", key), 1)
                if block:
                    self._space()
                raise nodes.SkipNode
        if isinstance(node, (nodes.Admonition, nodes.topic)):
            # admonitions contribute their body, not their title
            self.skipped_titles.update(id(c) for c in node.children if isinstance(c, nodes.title))
        if isinstance(node, addnodes.pending_xref):
            self._visit_xref(node)
        if isinstance(node, nodes.list_item) and isinstance(node.parent, nodes.enumerated_list):
            self._space()
            self._add(f"{self._item_number(node)}. ", 1)
        elif _is_block(node):
            self._space()
        if isinstance(node, nodes.Text):
            text = str(node)
            self._add(text, grapheme_count(_WHITESPACE.sub("", text)))

    def dispatch_departure(self, node: nodes.Node) -> None:
        if _is_block(node):
            self._space()

    def unknown_visit(self, node: nodes.Node) -> None:
        pass

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def _visit_xref(self, node: addnodes.pending_xref) -> None:
        """Implicit-title references get their title later; others keep their text."""
        if node.get("refexplicit"):
            return
        reftype = node.get("reftype")
        target = node.get("reftarget", "")
        if reftype == "ref":
            self._add(("ref", target.lower()), 0)
            raise nodes.SkipNode
        if reftype == "doc":
            self._add(("doc", docname_join(node.get("refdoc", ""), target)), 0)
            raise nodes.SkipNode
        if reftype == "myst" and not node.astext().strip():
            self._add(("ref", target.lower()), 0)
            raise nodes.SkipNode

    @staticmethod
    def _item_number(item: nodes.list_item) -> int:
        parent = item.parent
        start = parent.get("start", 1)
        return start + parent.index(item)


def collect_tokens(doctree: nodes.document, *, limit: int = 350) -> list[Token]:
    """Tokens of *doctree*'s text after its title, enough to cut at *limit* characters."""
    collector = _TokenCollector(doctree, limit)
    try:
        doctree.walkabout(collector)
    except _Done:
        pass
    return collector.tokens


def render_excerpt(
    tokens: list[Token],
    *,
    limit: int = 350,
    placeholders: Mapping[str, str] | None = None,
    resolve: Resolver | None = None,
) -> str:
    """Join *tokens* into plain text of at most *limit* characters plus ``...``."""
    placeholders = {**DEFAULT_PLACEHOLDERS, **(placeholders or {})}
    sentinels: dict[str, str] = {}
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
            continue
        kind, value = token
        if kind == "placeholder":
            text = placeholders.get(value, "")
            if text:
                sentinel = chr(_SENTINEL_BASE + len(sentinels))
                sentinels[sentinel] = text
                parts.append(sentinel)
        else:
            parts.append((resolve(kind, value) if resolve else None) or value)
    text = _WHITESPACE.sub(" ", "".join(parts)).strip()

    kept: list[str] = []
    length = 0
    truncated = False
    for cluster in _GRAPHEME.findall(text):
        size = grapheme_count(sentinels[cluster[0]]) if cluster[0] in sentinels else 1
        if length + size > limit:
            truncated = True
            break
        kept.append(cluster)
        length += size
    result = "".join(kept)
    for sentinel, replacement in sentinels.items():
        result = result.replace(sentinel, replacement)
    return result.rstrip() + ELLIPSIS if truncated else result


def excerpt(
    doctree: nodes.document,
    *,
    limit: int = 350,
    placeholders: Mapping[str, str] | None = None,
    resolve: Resolver | None = None,
) -> str:
    """The excerpt of *doctree*: :func:`collect_tokens` then :func:`render_excerpt`."""
    tokens = collect_tokens(doctree, limit=limit)
    return render_excerpt(tokens, limit=limit, placeholders=placeholders, resolve=resolve)
