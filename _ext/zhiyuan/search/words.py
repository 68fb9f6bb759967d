"""jieba's words of the texts the search index holds, kept between builds.

Sphinx segments again every text of every page it writes, and an edit writes
pages that did not change at all (a retitled post's neighbours and the posts
that list it among their related posts), so a build's first page indexed waits
for jieba's model even when the only new text is one title.
:class:`Words` keeps each text's words in the doctree folder, under jieba's
version and the user dictionary's content: a text segmented once is never
segmented again, and the model is needed only for new text — which the helper
process (:mod:`.segmenter`), asked when the document is read, has segmented by
the time the page is indexed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from zhiyuan import caches

from .segmenter import load_dictionary, segment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .segmenter import Segmenter

CACHE_FILE = "zh_search_words.pickle"
# between the words of a text as kept: one string per text loads in a fifth of the time a list takes
_SEPARATOR = "\x00"


def _inputs(user_dict: str) -> tuple[str, str]:
    """What the words depend on besides the text: jieba's version, the user dictionary's content."""
    path = Path(user_dict) if user_dict else None
    content = path.read_bytes() if path is not None and path.is_file() else b""
    return jieba.__version__, hashlib.sha256(content).hexdigest()


class Words:
    """Words by text: kept from the last build (with a doctree folder), from the helper, or segmented here."""

    def __init__(self, user_dict: str, doctreedir: str | Path | None = None, helper: Segmenter | None = None) -> None:
        self._user_dict: str | None = user_dict  # None once loaded here
        self.helper = helper
        self._path = Path(doctreedir) / CACHE_FILE if doctreedir is not None else None
        self._inputs = _inputs(user_dict) if self._path is not None else None
        stored = caches.read(self._path) if self._path is not None else None
        #: the words of each text, joined, as kept between builds
        self._kept: dict[str, str] = (
            stored[1] if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self._inputs else {}
        )
        #: the words of each text this build looked up
        self._words: dict[str, list[str]] = {}
        self._changed = False

    def ask(self, texts: Iterable[str]) -> None:
        """Have the helper segment those of *texts* not known yet."""
        if self.helper is not None:
            self.helper.ask(text for text in texts if text not in self._kept)

    def __call__(self, text: str) -> list[str]:
        """The words of *text* (do not change the list)."""
        words = self._words.get(text)
        if words is None:
            joined = self._kept.get(text)
            if joined is not None:
                words = joined.split(_SEPARATOR) if joined else []
            else:
                words = self._segment(text)
                if _SEPARATOR not in text and all(words):  # else it would not split back
                    self._kept[text] = _SEPARATOR.join(words)
                    self._changed = True
            self._words[text] = words
        return words

    def _segment(self, text: str) -> list[str]:
        words = self.helper.words(text) if self.helper is not None else None
        if words is None:
            if self._user_dict is not None:
                load_dictionary(self._user_dict)
                self._user_dict = None
            words = segment(text)
        return words

    def save(self, every_page_indexed: bool) -> None:
        """Keep the words for the next build: of this build's texts only if it indexed every page
        (the others are still in the pages it did not write)."""
        if self._path is None:
            return
        if every_page_indexed and self._kept.keys() - self._words.keys():
            self._kept = {text: joined for text, joined in self._kept.items() if text in self._words}
            self._changed = True
        if self._changed:
            caches.write(self._path, (self._inputs, self._kept))
            self._changed = False
