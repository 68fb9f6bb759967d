"""Estimated reading time of a document, correct for Chinese.

Counting happens once, when a document is read (:func:`count`); turning the
counts into minutes (:func:`minutes`) is cheap and uses rates from the
configuration, so changing a rate needs no re-read.

What is counted:

* **CJK characters** (Han, Hiragana, Katakana, Hangul), one by one — Chinese
  has no spaces, so "words" make no sense for it;
* **Latin words**: runs of letters and digits in the remaining text (``GPT-4``,
  ``don't`` and ``softmax`` are one word each);
* **code lines**: non-blank lines of code blocks (their words are not counted
  again);
* **formulas**: display formulas and inline formulas, each a fixed time.

Comments, raw HTML/LaTeX, substitution definitions, system messages and
toctrees count for nothing.  The estimate is::

    minutes = ceil( cjk / cjk_per_minute
                  + words / words_per_minute
                  + (code_lines * code_line_seconds
                     + display_math * display_math_seconds
                     + inline_math * inline_math_seconds) / 60 )

and at least 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from docutils import nodes
from sphinx import addnodes

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DEFAULT_RATES", "ReadingStats", "count", "count_text", "minutes"]

DEFAULT_RATES: dict[str, float] = {
    "cjk_per_minute": 400,  # characters a reader of technical Chinese reads per minute
    "words_per_minute": 200,  # Latin words per minute in technical prose
    "code_line_seconds": 3,  # per non-blank line of code
    "display_math_seconds": 10,  # per display formula
    "inline_math_seconds": 2,  # per inline formula
}

_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")

_SKIPPED = (
    nodes.comment,
    nodes.raw,
    nodes.substitution_definition,
    nodes.system_message,
    addnodes.toctree,
)


@dataclass(frozen=True)
class ReadingStats:
    """What a reader has to get through in one document."""

    cjk: int = 0
    words: int = 0
    code_lines: int = 0
    display_math: int = 0
    inline_math: int = 0


def count_text(text: str) -> ReadingStats:
    """CJK characters and Latin words of plain *text*."""
    latin, cjk = _CJK.subn(" ", text)
    return ReadingStats(cjk=cjk, words=len(_WORD.findall(latin)))


_CODE = (nodes.literal_block, nodes.doctest_block)


def count(doctree: nodes.Node) -> ReadingStats:
    """Count what a reader reads in *doctree*.

    One walk collects the text, and one pass of the patterns counts it: the
    pieces are joined by line breaks, so no word runs from one into the next.
    """
    texts: list[str] = []
    code_lines = display_math = inline_math = 0
    pending = [doctree]
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.Text):
            texts.append(node)  # a str; astext() would drop reST escape markers, which MyST text has not
        elif isinstance(node, _SKIPPED):
            continue
        elif isinstance(node, _CODE):
            code_lines += sum(1 for line in node.astext().splitlines() if line.strip())
        elif isinstance(node, nodes.math_block):
            display_math += 1
        elif isinstance(node, nodes.math):
            inline_math += 1
        else:
            pending.extend(node.children)
    prose = count_text("\n".join(texts))
    return ReadingStats(prose.cjk, prose.words, code_lines, display_math, inline_math)


def minutes(stats: ReadingStats, *, rates: Mapping[str, float] | None = None) -> int:
    """Whole minutes (rounded up, at least 1) to read what *stats* counted."""
    r = {**DEFAULT_RATES, **(rates or {})}
    total = (
        stats.cjk / r["cjk_per_minute"]
        + stats.words / r["words_per_minute"]
        + (
            stats.code_lines * r["code_line_seconds"]
            + stats.display_math * r["display_math_seconds"]
            + stats.inline_math * r["inline_math_seconds"]
        )
        / 60
    )
    return max(1, math.ceil(round(total, 9)))
