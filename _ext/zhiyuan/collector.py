"""The cycle collector in a process that runs one build and then ends (``nox -s build``).

Python's cycle collector walks the objects a process holds again and again as its heap
grows: while a build imports Sphinx, the themes and our package and unpickles the
environment, and once more when the interpreter tears everything down at exit.  On a
no-op build of 333 posts that was 0.4–0.5 s of collections and 0.7 s of teardown, more than
half of the build (PERFORMANCE.md).  A process that runs one build and ends can spare both:

* :func:`hold`, called by the process before it imports Sphinx, turns the collector off;
* at ``builder-inited`` — the extensions imported, the environment loaded, nothing written
  yet — what the process holds is frozen (``gc.freeze``: the collector no longer walks it;
  it stays until the process ends, as it would anyway) and the collector is turned on again
  for what the build makes from then on (doctrees, pages), so memory is freed as before;
* :func:`release`, when the build is done, freezes everything, so the teardown walks nothing.

A build in a process that did not call :func:`hold` — ``sphinx-build``, Read the Docs, the
test suite, which builds many sites in one process — is left as it is.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_held = [False]


def hold() -> None:
    """Turn the collector off until the next build's environment is loaded (see the module)."""
    _held[0] = True
    gc.disable()


def release() -> None:
    """The build is done and the process about to end: let the teardown skip the collector."""
    gc.freeze()


def _on_builder_inited(app: Sphinx) -> None:
    """Freeze what is loaded and turn the collector on again, in a process that held it."""
    if _held[0]:
        _held[0] = False
        gc.freeze()
        gc.enable()


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _on_builder_inited, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
