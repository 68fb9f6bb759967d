"""Reading and writing the caches our extensions keep between builds in the doctree folder.

The excerpt cache (``latest_updates``), the archive entry lists
(``portal_theme``) and the rendered formulas (``katex_ssr``) are pickles beside
Sphinx's environment.  A missing, truncated or outdated file (written by other
code) is no cache at all, never an error: the next build renders anew.  Not an
extension; imported by those that keep a cache.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

# what unpickling a missing, truncated or foreign file raises
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError)


def read(path: Path) -> Any | None:
    """The object pickled in *path*, or None if there is none that can be read."""
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except _UNREADABLE:
        return None


def write(path: Path, value: Any) -> None:
    """Pickle *value* into *path*, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
