"""The entries of ablog's archive pages kept between builds.

A new post changes the counts in every archive page's sidebar, so every
archive page is written again — at a thousand posts some thirty pages and
seven thousand entries — although the entries of most pages (a tag the post
does not carry, an earlier year) are the same as before; and a new or retitled
post changes a few lists of up to a thousand entries each, of which one entry
is new.  So each entry is kept, per folder (its links are relative; a link to
the page it is on is ``#``), under its own digest (:func:`entry_digests`), and a
page's list is the kept entries joined, with only the entries whose digest
changed rendered again.  Each post's entries are kept in a file of their own in
our caches folder, written only when one of them was rendered: a retitled post
writes one small file, not the entries of every post.  Entries are kept as UTF-8
bytes: they are mostly Chinese text, which unpickles as ``str`` only by decoding
it, as ``bytes`` at once; only what is reused is decoded.  An entry no longer
shown keeps its place until the doctree folder is cleared.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhiyuan import caches

from .entries import EntryView, entry_view

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

# the entries' markup is part of what they are rendered from
_MARKUP_SOURCE = (Path(__file__).resolve().parent / "entries.py").read_bytes()


def linked_here(view: EntryView, pagename: str) -> str:
    """*pagename* if the entry links to it (Sphinx writes such a link as ``#``), else ``""``."""
    return pagename if pagename in view.linked_pages() else ""


def entry_digests(
    kind: str, folder: str, pagename: str, views: Iterable[EntryView], labels: Mapping[str, str],
    date_format: str, shown: dict[tuple[str, str, str], tuple[frozenset[str], bytes]] | None = None,
) -> list[str]:
    """Digest of each entry (*kind* ``entry``: :func:`entries.render_entry`; ``catalog``:
    ``render_catalog_item``) of *views* on page *pagename* in *folder*: of the view the renderer
    reads, the page settings and the markup's source (links are relative to the folder, or ``#``
    to the page).

    A post's view is the same on every page of a build that lists it (up to seven): it is
    pickled once into *shown* (by docname, section and summary), with the pages its entry
    links to.
    """
    shown = {} if shown is None else shown
    # the markup source and page settings are hashed once, then continued per entry
    shared = hashlib.sha256(_MARKUP_SOURCE)
    shared.update(pickle.dumps([kind, folder, sorted(labels.items()), date_format], protocol=4))
    digests = []
    for view in views:
        key = (view.docname, view.section, view.summary)
        if key not in shown:
            shown[key] = (view.linked_pages(), pickle.dumps(view, protocol=4))
        links, data = shown[key]
        entry = shared.copy()
        entry.update(pickle.dumps(pagename if pagename in links else "", protocol=4))
        entry.update(data)
        digests.append(entry.hexdigest())
    return digests


_Kept = dict[Any, tuple[str, bytes]]


class EntriesCache:
    """Entries ``{(kind, folder, page linked, docname, section): (digest, HTML)}``, HTML in UTF-8,
    in one file per post (its docname is in the key) in the folder *path*; a post's file is read
    on first use and written when one of its entries was rendered."""

    _FORMAT = "portal_theme entries 4"

    def __init__(self, path: Path) -> None:
        self._path = path
        self._kept: dict[str, _Kept] = {}  # by docname, as read
        self._changed: set[str] = set()
        self.shown: dict[Any, tuple[frozenset[str], bytes]] = {}  # for entry_digests, this build
        self._views: dict[tuple[str, str, str], EntryView] = {}  # this build's, by post and summary

    def view(self, post: Any, summary: str = "") -> EntryView:
        """*post*'s entry view with *summary*, made once per build (a post is listed on up to
        seven pages)."""
        key = (post.docname, post.section or "", summary)
        if key not in self._views:
            self._views[key] = entry_view(post, summary)
        return self._views[key]

    def _file(self, docname: str) -> Path:
        return self._path / f"{hashlib.sha256(docname.encode('utf-8')).hexdigest()[:32]}.pickle"

    def _of(self, docname: str) -> _Kept:
        if docname not in self._kept:
            stored = caches.read(self._file(docname))
            ok = isinstance(stored, tuple) and len(stored) == 3 and stored[0] == self._FORMAT and stored[1] == docname
            self._kept[docname] = stored[2] if ok else {}
        return self._kept[docname]

    def entry(self, key: tuple[str, ...], digest: str, render: Callable[[], str]) -> str:
        """One entry (*key*: kind, folder, the page if it links there, docname, section) kept under *digest*,
        or ``render()``, kept from now on."""
        docname = key[3]
        kept = self._of(docname)
        found = kept.get(key)
        if found is not None and found[0] == digest:
            return found[1].decode("utf-8")
        html = render()
        kept[key] = (digest, html.encode("utf-8"))
        self._changed.add(docname)
        return html

    def save(self) -> None:
        """Write the files of the posts an entry of which was rendered in this build."""
        self.shown, self._views = {}, {}
        for docname in sorted(self._changed):
            caches.write(self._file(docname), (self._FORMAT, docname, self._kept[docname]))
        self._changed = set()
