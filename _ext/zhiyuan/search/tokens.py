"""The terms of the search index, as the browser makes them from a query (``static/search.js``
mirrors these functions; ``tests/search/test_tokens.py`` runs both on the same texts).

* Text is normalised first: NFKC (full-width letters and digits become ASCII), lower case,
  dashes as ``-``.
* An identifier (letters, digits, ``_``, joined by ``.`` or ``-``) is one term as written,
  plus its parts, plus, when it has dashes, its parts run together, plus the dotted names it
  ends with: ``torch.nn.functional`` → ``torch.nn.functional``, ``torch``, ``nn``,
  ``functional``, ``nn.functional``; ``zero-3`` → ``zero-3``, ``zero``, ``3``, ``zero3``.
  One-letter terms are left out.
* Chinese is cut into overlapping pairs of characters (bigrams), as Lucene's CJK analyser
  does; a lone character is a term of its own.  Bigrams need no dictionary, so a query matches
  whatever words the text would be segmented into, and the browser makes the same terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_IDENTIFIER = re.compile(r"[a-z0-9_]+(?:[.\-][a-z0-9_]+)*")
_SEPARATORS = re.compile(r"[._\-]+")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def normalize(text: str) -> str:
    """*text* in the form terms are made from."""
    return unicodedata.normalize("NFKC", text).lower().translate(_DASHES)


def is_cjk(char: str) -> bool:
    return bool(_CJK_RUN.fullmatch(char))


def identifier_terms(identifier: str) -> Iterator[str]:
    """The terms of one identifier, as in the module's docstring."""
    if len(identifier) > 1:
        yield identifier
    parts = [part for part in _SEPARATORS.split(identifier) if part]
    if len(parts) > 1 or parts != [identifier]:
        yield from (part for part in parts if len(part) > 1)
    if "-" in identifier and len(parts) > 1:
        yield "".join(parts)
    dotted = identifier.split(".")
    for start in range(1, len(dotted) - 1):  # torch.nn.functional → nn.functional
        yield ".".join(dotted[start:])


def cjk_terms(run: str) -> Iterator[str]:
    """The bigrams of a run of Chinese characters (the character itself if it is alone)."""
    if len(run) == 1:
        yield run
    for start in range(len(run) - 1):
        yield run[start : start + 2]


def terms(text: str) -> list[str]:
    """Every term of *text*, in order, repeated as often as it occurs."""
    text = normalize(text)
    found: list[str] = []
    for match in _IDENTIFIER.finditer(text):
        found += identifier_terms(match.group())
    for match in _CJK_RUN.finditer(text):
        found += cjk_terms(match.group())
    return found


def shard_key(term: str) -> str:
    """The part of *term* that picks its shard: the first character of a Chinese term, the first
    two of another; every term that starts with a query's last, unfinished word is in its shard."""
    return term[:1] if is_cjk(term[:1]) else term[:2]


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points of *text* (the browser computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value
