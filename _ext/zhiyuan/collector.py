"""The cycle collector in a process that runs one build and then ends (``nox -s build``).

Python's cycle collector walks the objects a process holds again and again as its heap
grows: while a build imports Sphinx, the themes and our package and unpickles the
environment, while it reads documents into a growing environment, and once more when the
interpreter tears everything down at exit.  On a no-op build of 333 posts that was 0.4–0.5 s
of collections and 0.7 s of teardown, more than half of the build; on a clean one, full
collections walking the environment as it grew took about 2 s of CPU (PERFORMANCE.md).  A
process that runs one build and ends can spare most of it:

* :func:`hold`, called by the process before it imports Sphinx, turns the collector off;
* at ``builder-inited`` — the extensions imported, the environment loaded, nothing written
  yet — what the process holds is frozen (``gc.freeze``: the collector no longer walks it;
  it stays until the process ends, as it would anyway) and the collector is turned on again
  for what the build makes from then on (doctrees, pages), so memory is freed as before;
* while documents are read, every :data:`_READ_BETWEEN_FREEZES` documents, and once more when
  reading is done (``env-updated``), a full collection frees the doctrees read since the last
  freeze (a doctree's nodes point to their parents: only the collector frees them) and what
  survives it, the environment's new records, is frozen: each full collection walks what was
  made since the one before, not the whole environment again.  No doctree being read is
  alive then (``env-purge-doc`` comes before the next document is read);
* :func:`release`, when the build is done, freezes everything, so the teardown walks nothing.

A build in a process that did not call :func:`hold` — ``sphinx-build``, Read the Docs, the
test suite, which builds many sites in one process — is left as it is.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Documents read between two collections that freeze what survives them.
_READ_BETWEEN_FREEZES = 25

_held = [False]
#: whether this process runs one build and ends (it called :func:`hold`)
_one_build = [False]
_read = [0]


def hold() -> None:
    """Turn the collector off until the next build's environment is loaded (see the module)."""
    _held[0] = True
    _one_build[0] = True
    gc.disable()


def release() -> None:
    """The build is done and the process about to end: let the teardown skip the collector."""
    gc.freeze()


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


def _on_builder_inited(app: Sphinx) -> None:
    """Freeze what is loaded and turn the collector on again, in a process that held it."""
    if _held[0]:
        _held[0] = False
        gc.freeze()
        gc.enable()


def _on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Before every :data:`_READ_BETWEEN_FREEZES`-th document is read, free the doctrees read
    since the last freeze and freeze what the environment keeps of them."""
    if _one_build[0]:
        _read[0] += 1
        if _read[0] % _READ_BETWEEN_FREEZES == 0:
            _collect_and_freeze()


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Reading is done: free the last doctrees read and freeze the environment."""
    if _one_build[0] and _read[0]:
        _collect_and_freeze()
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _on_builder_inited, priority=100)
    app.connect("env-purge-doc", _on_env_purge_doc)
    # after the other parts' env-updated work, which makes records that stay (priority 500),
    # and before the search index's fork (900), which then shares the frozen pages untouched
    app.connect("env-updated", _on_env_updated, priority=850)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
