"""Rendered excerpts kept between builds, under a digest of what they are rendered from.

A post's excerpt is shown on the home index, in up to seven archive pages, in
its meta tags and in the feeds.  Rendering one (resolving its references,
cutting at grapheme clusters) is not free, and every build that regenerates a
listing rendered again excerpts that had not changed.  The file lives in the doctree folder and is read only
when an excerpt is asked for; when a build rendered new excerpts it is written
again with the entries that current posts use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhiyuan import caches

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path


class ExcerptCache:
    """``{digest of an excerpt's inputs: excerpt text}``, loaded on first use."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._entries: dict[str, str] | None = None
        self._added = False

    def _loaded(self) -> dict[str, str]:
        if self._entries is None:
            stored = caches.read(self._path)
            self._entries = stored if stored is not None else {}
        return self._entries

    def get(self, key: str, render: Callable[[], str]) -> str:
        """The excerpt kept under *key*, or ``render()`` kept from now on."""
        entries = self._loaded()
        if key not in entries:
            entries[key] = render()
            self._added = True
        return entries[key]

    def save(self, keys: Callable[[], Iterable[str]]) -> None:
        """Write the file if this build rendered an excerpt, keeping the entries of ``keys()``."""
        if not self._added or self._entries is None:
            return
        wanted = set(keys())
        self._entries = {key: text for key, text in self._entries.items() if key in wanted}
        caches.write(self._path, self._entries)
        self._added = False
