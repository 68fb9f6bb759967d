"""External links carry ``rel="noopener"``.

A page opened from one of our links must not get a handle on our window
(``window.opener``), whether or not the link opens a new tab.  Sphinx's HTML
writer renders a reference as ``<a class="reference external">`` when it has a
``refuri`` and is not internal, and copies a ``rel`` attribute of the node onto
the ``<a>``; this post-transform adds ``noopener`` to exactly those references
(keeping any ``rel`` tokens already there), so it composes with whatever
translator the theme installs (the pydata theme wraps the translator at
``builder-inited``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

REL = "noopener"


def is_external(node: nodes.reference) -> bool:
    """Whether Sphinx's HTML writer renders *node* as ``a.reference.external``."""
    return "refuri" in node and not node.get("internal")


def add_rel(node: nodes.reference, token: str = REL) -> None:
    """Add *token* to the node's ``rel`` attribute, once."""
    tokens = str(node.get("rel", "")).split()
    if token not in tokens:
        node["rel"] = " ".join([*tokens, token])


class ExternalLinksNoopener(SphinxPostTransform):
    """Mark every external reference of an HTML page ``rel="noopener"``."""

    default_priority = 900  # after references are resolved (intersphinx included)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.reference):
            if is_external(node):
                add_rel(node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(ExternalLinksNoopener)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
