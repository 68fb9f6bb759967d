"""The entries of ablog's archive pages kept between builds.

A new post changes the counts in every archive page's sidebar, so every
archive page is written again — at a thousand posts some thirty pages and
seven thousand entries — although the entries of most pages (a tag the post
does not carry, an earlier year) are the same as before; and a new or retitled
post changes a few lists of up to a thousand entries each, of which one entry
is new.  So both are kept, in the doctree folder: each page's entry list under
a digest of everything its entries show (:func:`entry_digests`), and each
entry, per folder (its links are relative; a link to the page it is on is
``#``), under its own digest; a page whose list digest is unchanged reuses the
list, and a list rendered again reuses every entry whose digest is unchanged.  Lists and entries are kept as UTF-8
bytes: they are mostly Chinese text, which unpickles as ``str`` only by decoding
it, as ``bytes`` at once; only what is reused is decoded.  A page or an entry no
longer shown keeps its place until the doctree folder is cleared.
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


def list_digest(pagename: str, digests: Iterable[str]) -> str:
    """Digest of page *pagename*'s list of entries with these digests."""
    return hashlib.sha256("\n".join([pagename, *digests]).encode("utf-8")).hexdigest()


_Kept = dict[Any, tuple[str, bytes]]


class EntriesCache:
    """Entry lists ``{pagename: (digest, HTML)}`` and entries ``{(kind, folder, page linked, docname, section):
    (digest, HTML)}``, HTML in UTF-8; read on first use, written when something was rendered."""

    _FORMAT = "portal_theme entries 3"

    def __init__(self, path: Path) -> None:
        self._path = path
        self._kept: tuple[_Kept, _Kept] | None = None
        self._changed = False
        self.shown: dict[Any, tuple[frozenset[str], bytes]] = {}  # for entry_digests, this build
        self._views: dict[tuple[str, str, str], EntryView] = {}  # this build's, by post and summary

    def view(self, post: Any, summary: str = "") -> EntryView:
        """*post*'s entry view with *summary*, made once per build (a post is listed on up to
        seven pages)."""
        key = (post.docname, post.section or "", summary)
        if key not in self._views:
            self._views[key] = entry_view(post, summary)
        return self._views[key]

    def _loaded(self) -> tuple[_Kept, _Kept]:
        if self._kept is None:
            stored = caches.read(self._path)
            if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == self._FORMAT:
                self._kept = stored[1], stored[2]
            else:
                self._kept = {}, {}
        return self._kept

    def _get(self, kept: _Kept, key: Any, digest: str, render: Callable[[], str]) -> str:
        found = kept.get(key)
        if found is not None and found[0] == digest:
            return found[1].decode("utf-8")
        html = render()
        kept[key] = (digest, html.encode("utf-8"))
        self._changed = True
        return html

    def get(self, pagename: str, digest: str, render: Callable[[], str]) -> str:
        """The page's entries kept under *digest*, or ``render()``, kept from now on."""
        return self._get(self._loaded()[0], pagename, digest, render)

    def entry(self, key: tuple[str, ...], digest: str, render: Callable[[], str]) -> str:
        """One entry (*key*: kind, folder, the page if it links there, docname, section) kept under *digest*,
        or ``render()``."""
        return self._get(self._loaded()[1], key, digest, render)

    def save(self) -> None:
        """Write the file if a list or an entry was rendered in this build."""
        self.shown, self._views = {}, {}
        if not self._changed or self._kept is None:
            return
        caches.write(self._path, (self._FORMAT, *self._kept))
        self._changed = False
