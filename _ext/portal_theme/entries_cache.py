"""The entry lists of ablog's archive pages kept between builds.

A new post changes the counts in every archive page's sidebar, so every
archive page is written again — at a thousand posts some thirty pages and
seven thousand entries — although the entries of most pages (a tag the post
does not carry, an earlier year) are the same as before.  Each page's entry
list is kept, in the doctree folder, under a digest of everything its entries
show (:func:`entries_digest`); a page whose digest is unchanged reuses it.
The lists are kept as UTF-8 bytes: at a thousand posts they weigh some twelve
megabytes of mostly Chinese text, which unpickles as ``str`` in a tenth of a
second (decoding it), as ``bytes`` at once; only the lists reused are decoded.
A page no longer generated keeps its entry until the doctree folder is cleared.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

import doctree_pickle

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

# the entries' markup is part of what they are rendered from
_MARKUP_SOURCE = (Path(__file__).resolve().parent / "entries.py").read_bytes()
_COLLECTIONS = ("author", "location", "language", "category", "tags")


def entries_digest(
    pagename: str, posts: Iterable[Any], summaries: Iterable[str], labels: Mapping[str, str], date_format: str
) -> str:
    """Digest of what :func:`entries.render_entry` reads for each of *posts* on page *pagename*."""
    shown = [
        (
            post.docname, post.section, post.external_link, post.title, post.date, post.update, post.published,
            [[(c.docname, str(c.name), len(c) > 0) for c in getattr(post, field) or ()] for field in _COLLECTIONS],
            summary,
        )
        for post, summary in zip(posts, summaries, strict=True)
    ]
    payload = pickle.dumps([pagename, shown, sorted(labels.items()), date_format], protocol=4)
    return hashlib.sha256(_MARKUP_SOURCE + payload).hexdigest()


class EntriesCache:
    """``{pagename: (digest, entries' HTML in UTF-8)}``, read on first use, written when a list was rendered."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pages: dict[str, tuple[str, bytes]] | None = None
        self._changed = False

    def _loaded(self) -> dict[str, tuple[str, bytes]]:
        if self._pages is None:
            stored = doctree_pickle.read(self._path)
            self._pages = stored if stored is not None else {}
        return self._pages

    def get(self, pagename: str, digest: str, render: Callable[[], str]) -> str:
        """The page's entries kept under *digest*, or ``render()``, kept from now on."""
        pages = self._loaded()
        kept = pages.get(pagename)
        if kept is not None and kept[0] == digest:
            return kept[1].decode("utf-8")
        html = render()
        pages[pagename] = (digest, html.encode("utf-8"))
        self._changed = True
        return html

    def save(self) -> None:
        """Write the file if a list was rendered in this build."""
        if not self._changed or self._pages is None:
            return
        doctree_pickle.write(self._path, self._pages)
        self._changed = False
