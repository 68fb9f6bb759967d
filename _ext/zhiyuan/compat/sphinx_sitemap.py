"""sphinx-sitemap: its list of written pages kept in this process when pages are written here.

sphinx-sitemap collects the pages a build writes in a queue that worker
processes can share: at every builder-inited it starts a
``multiprocessing.Manager`` — a server process, forked from the builder's — and
every page's ``put`` is a round trip to it.  That costs more per build than a
no-op rebuild's whole share of our extensions (PERFORMANCE.md), and it buys
nothing when Sphinx writes in one process (no ``-j``, the usual
case).  Then the queue is a plain ``queue.Queue`` instead; with ``-j N`` the
shared one is kept.  (The upstream pull request that added the shared queue
notes the cost; ``Builder.parallel_ok`` is only known after builder-inited.)
"""

from __future__ import annotations

import functools
import queue
from typing import TYPE_CHECKING, Any

import sphinx_sitemap

from zhiyuan.compat import Patch, applies
from zhiyuan.compat.sphinx import wrap_listener

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

__version__ = "1.0"

PATCH = Patch(
    "sphinx-sitemap", ">=2.9,<2.10",
    "its multiprocessing.Manager queue is started on every build",
)


def _in_process_queue(record_builder_type: Callable[[Sphinx], None]) -> Callable[[Sphinx], None]:
    """sphinx-sitemap's builder-inited handler, with an in-process queue unless pages may be written in workers."""

    @functools.wraps(record_builder_type)
    def record_builder_type_in_process(app: Sphinx) -> None:
        if app.parallel > 1:
            record_builder_type(app)
            return
        app.env.is_directory_builder = type(app.builder).__name__ == "DirectoryHTMLBuilder"
        app.sitemap_links = queue.Queue()

    return record_builder_type_in_process


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_sitemap")
    if applies(app, PATCH):
        wrap_listener(app, "builder-inited", sphinx_sitemap.record_builder_type, _in_process_queue)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
