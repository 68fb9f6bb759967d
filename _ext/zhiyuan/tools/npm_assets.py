"""Whether ``node_modules/`` holds what ``package-lock.json`` pins, so that nox runs ``npm ci`` only when not.

``npm ci`` deletes ``node_modules/`` and installs it again: seconds on every session
although the lock rarely changes.  After a successful ``npm ci`` the noxfile writes
the SHA-256 of ``package-lock.json`` into ``node_modules/.zhiyuan-lock-stamp``
(:func:`write_stamp`), and a later session runs ``npm ci`` only when
:func:`npm_ci_needed` says so: the folder is missing, holds no stamp (installed by
hand, or an ``npm ci`` that failed midway: it empties the folder first, so the stamp
goes with it), or holds the stamp of another lock.

Plain Python without dependencies: the noxfile imports it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: The stamp's name inside ``node_modules/``: the lock's digest, written after ``npm ci``.
STAMP = ".zhiyuan-lock-stamp"


def _lock_digest(root: Path) -> str:
    return hashlib.sha256((root / "package-lock.json").read_bytes()).hexdigest()


def npm_ci_needed(root: Path) -> bool:
    """Whether *root*/node_modules is missing or was not installed from *root*/package-lock.json as it is."""
    try:
        stamp = (root / "node_modules" / STAMP).read_text(encoding="ascii").strip()
        return stamp != _lock_digest(root)
    except OSError:  # no node_modules/, no stamp, or no lock (then npm ci says what is wrong)
        return True


def write_stamp(root: Path) -> None:
    """Record that *root*/node_modules was just installed from *root*/package-lock.json."""
    (root / "node_modules" / STAMP).write_text(_lock_digest(root) + "\n", encoding="ascii")
