"""The files our parts keep between builds: one folder in the doctree folder, tied to our code.

Every cache and piece of build state of ours (rendered formulas, excerpts, archive entry
lists, navigation, segmented words, the pre-scan of front matter, the fingerprints of
generated pages and feeds, the sitemap's known URLs, compiled templates and catalogs,
staged static files) lives in ``<doctree folder>/zhiyuan/``.  The folder carries a stamp
of our code (a digest of every file of this package): when the code changes, the folder
is discarded as a whole, and that build writes every page again, since the state that
said which pages were up to date went with it (:func:`_on_env_get_updated`).

A missing, truncated or outdated pickle (written by other code) is no cache at all,
never an error: the next build renders anew (:func:`read`).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_FOLDER = "zhiyuan"
_STAMP = "code-version"
_PACKAGE = Path(__file__).resolve().parent
# what unpickling a missing, truncated or foreign file raises
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError)
# folders discarded in this process and not yet reported to a build
_discarded: set[Path] = set()


@functools.cache
def code_version() -> str:
    """A digest of every file of this package (bytecode aside)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def folder(doctreedir: str | Path) -> Path:
    """Our folder in *doctreedir*, emptied first if an other version of our code wrote it."""
    path = Path(doctreedir) / _FOLDER
    stamp = path / _STAMP
    try:
        current = stamp.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current != code_version():
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
        stamp.write_text(code_version(), encoding="utf-8")
        _discarded.add(path)
    return path


def path(doctreedir: str | Path, name: str) -> Path:
    """Where the cache or state file (or folder) *name* lives."""
    return folder(doctreedir) / name


def read(file: Path) -> Any | None:
    """The object pickled in *file*, or None if there is none that can be read."""
    try:
        with file.open("rb") as stream:
            return pickle.load(stream)
    except _UNREADABLE:
        return None


def write(file: Path, value: Any) -> None:
    """Pickle *value* into *file*, creating its folder."""
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)


def write_if_changed(file: Path, data: bytes) -> bool:
    """Write *data* to *file* unless it holds exactly that already (its time then stays, so the
    staged build has nothing to copy); return whether it was written."""
    try:
        if file.stat().st_size == len(data) and file.read_bytes() == data:
            return False
    except OSError:
        pass
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
    return True


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page, when this build started without our state (new code, or a first build)."""
    mine = folder(app.doctreedir)
    if mine in _discarded:
        _discarded.discard(mine)
        return sorted(env.found_docs)
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-get-updated", _on_env_get_updated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
