"""Stable equation ids for MyST's ``amsmath`` blocks.

MyST-Parser numbers an unlabelled ``\\begin{align}`` block by giving it a random
label (``uuid4``), which lands in the page as ``id="equation-<uuid>"``: two
builds of the same sources then differ, and a reader's link to the equation
breaks at the next build.  MyST draws that label from one overridable method,
``SphinxRenderer._random_label``; this extension replaces it by a label made of
the document's name and the block's position in it, unique across the project
(the math domain refuses duplicates) and the same in every build.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"


def _positional_label(renderer: SphinxRenderer) -> str:
    """``<hash of the docname>-<n>`` for the n-th unlabelled block of the document."""
    count = getattr(renderer, "_stable_ids_count", 0) + 1
    renderer._stable_ids_count = count
    docname = renderer.sphinx_env.docname
    return f"{hashlib.sha256(docname.encode('utf-8')).hexdigest()[:12]}-{count}"


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    SphinxRenderer._random_label = _positional_label
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
