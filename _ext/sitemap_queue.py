"""sphinx-sitemap's list of written pages kept in this process when pages are written here.

sphinx-sitemap collects the pages a build writes in a queue that worker
processes can share: at every builder-inited it starts a
``multiprocessing.Manager`` — a server process, forked from the builder's — and
every page's ``put`` is a round trip to it.  That costs a few tenths of a
second per build, more than a no-op rebuild's whole share of our extensions,
and it buys nothing when Sphinx writes in one process (no ``-j``, the usual
case).  Then the queue is a plain ``queue.Queue`` instead; with ``-j N`` the
shared one is kept.  (The upstream pull request that added the shared queue
notes the cost; ``Builder.parallel_ok`` is only known after builder-inited.)
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any

import sphinx_sitemap

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"


def _record_builder_type(app: Sphinx) -> None:
    """sphinx-sitemap's builder-inited handler, with an in-process queue unless pages may be written in workers."""
    if app.parallel > 1:
        sphinx_sitemap.record_builder_type(app)
        return
    app.env.is_directory_builder = type(app.builder).__name__ == "DirectoryHTMLBuilder"
    app.sitemap_links = queue.Queue()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_sitemap")
    for listener in list(app.events.listeners.get("builder-inited", ())):
        if listener.handler is sphinx_sitemap.record_builder_type:
            app.disconnect(listener.id)
            app.connect("builder-inited", _record_builder_type, priority=listener.priority)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
