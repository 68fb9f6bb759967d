"""Rendered excerpts kept between builds, under a digest of what they are rendered from.

A post's excerpt is shown on the home index, in up to seven archive pages, in
its meta tags and in the feeds.  Rendering one (resolving its references,
cutting at grapheme clusters) takes about half a millisecond, so at a thousand
posts every build that regenerates a listing spent half a second on excerpts
that had not changed.  The file lives in the doctree folder and is read only
when an excerpt is asked for; when a build rendered new excerpts it is written
again with the entries that current posts use.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

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
            try:
                with self._path.open("rb") as file:
                    self._entries = pickle.load(file)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                self._entries = {}
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
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("wb") as file:
            pickle.dump(self._entries, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._added = False
