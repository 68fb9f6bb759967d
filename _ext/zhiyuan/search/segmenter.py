"""jieba's words for the search index, segmented in a helper process while documents are read.

Segmenting a site's Chinese text with jieba (and loading its model first) is a
large share of a clean build (PERFORMANCE.md), and Sphinx does it page by page
while it writes, on one core.  The texts it will segment are known earlier: those of
each document as it is read.  A :class:`Segmenter` sends them to one helper
process, forked from the builder as Sphinx's own parallel builds are (a process
started afresh would import the builder's main script again), which loads
jieba's model and the user dictionary and segments them while the builder goes
on reading; the index then only looks the words up.  The texts of a page about
to be written that it was not asked about (a page not read in this build, text a
post-transform made) are asked for while the page is rendered.
The words are jieba's own for the same text and dictionary, so the index is the
same as without the helper; if the helper fails, that is a warning and the
builder segments the rest itself.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import jieba
from sphinx.util import logging

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)


def load_dictionary(user_dict: str) -> None:
    """Load jieba's model and, if the file exists, the user dictionary *user_dict*."""
    jieba.initialize()
    if user_dict and Path(user_dict).is_file():
        jieba.load_userdict(user_dict)


def segment(text: str) -> list[str]:
    """jieba's search-mode words of *text*, as Sphinx's ``zh`` search takes them."""
    return list(jieba.cut_for_search(text))


def _segment_all(texts: list[str]) -> dict[str, list[str]]:
    """In the helper: the words of each text."""
    return {text: segment(text) for text in texts}


def can_fork() -> bool:
    """Whether a helper can be forked here (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


class Segmenter:
    """Words by text, from a helper process asked ahead for the texts of every document read.

    The helper is forked when the segmenter is made: before the build starts any other process.
    """

    def __init__(self, user_dict: str) -> None:
        self._helper = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        # the first task forks the helper, now: it holds a copy of every file descriptor open at
        # this moment, so it must come before the build starts other processes (if it held the
        # write end of the KaTeX renderer's input, the renderer would never see its end)
        self._helper.submit(load_dictionary, user_dict)
        self._asked: dict[str, Future[dict[str, list[str]]]] = {}
        self.failed = False

    def ask(self, texts: Iterable[str]) -> None:
        """Have the helper segment *texts* (those not asked for before), in one batch."""
        new = [text for text in dict.fromkeys(texts) if text not in self._asked]
        if new and not self.failed:
            try:
                future = self._helper.submit(_segment_all, new)
            except Exception as exc:  # BrokenProcessPool: the helper died
                self._fail(exc)
            else:
                self._asked.update(dict.fromkeys(new, future))

    def words(self, text: str) -> list[str] | None:
        """The words of *text*, waiting for the helper if it is still at them; ``None`` if it failed."""
        self.ask([text])
        if self.failed:
            return None
        try:
            return self._asked[text].result()[text]
        except Exception as exc:
            self._fail(exc)
            return None

    def _fail(self, exc: Exception) -> None:
        logger.warning(
            "the helper process segmenting text for the search index failed (%s: %s); "
            "the builder segments the rest itself",
            type(exc).__name__,
            exc,
            type="zh_search",
            subtype="helper",
        )
        self.failed = True
        self.close()

    def close(self) -> None:
        """Stop the helper; work not done is dropped."""
        self._helper.shutdown(wait=False, cancel_futures=True)
