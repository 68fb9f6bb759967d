"""sphinxext-opengraph: every use of its internals, written for sphinxext-opengraph 0.13.

The site runs its tag writer (``get_tags``, a module function) for generated pages, which it
skips; reads the ``og:description`` it wrote to repeat it as ``twitter:description``; and
silences the note it prints at import about matplotlib.  Outside the versions of
:data:`PATCH`, generated pages keep no OpenGraph tags and pages no Twitter description.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from typing import TYPE_CHECKING, Any

from docutils.frontend import get_default_settings
from docutils.utils import new_document

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["PATCH", "active", "description", "setup_quietly", "tags_for_generated_page"]

PATCH = Patch(
    "sphinxext-opengraph", ">=0.13,<0.14",
    "generated pages (archives, index pages 2…n, series) have no OpenGraph tags and no page a "
    "Twitter description",
)

# the format of its ``make_tag`` for the description
_OG_DESCRIPTION = re.compile(r'<meta property="og:description" content="([^"]*)" />')


def active(app: Sphinx) -> bool:
    """Whether the installed sphinxext-opengraph is one these functions were written for."""
    return applies(app, PATCH)


def setup_quietly(app: Sphinx) -> None:
    """Load sphinxext-opengraph without the note it ``print()``s when matplotlib is missing
    (social cards are off on this site anyway)."""
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")


@functools.cache
def _empty_document_settings() -> Any:
    # docutils builds its option parser anew for every document created without settings
    return get_default_settings()


def tags_for_generated_page(app: Sphinx, pagename: str, context: dict[str, Any]) -> str:
    """The tags sphinxext-opengraph writes for a page, for a page without a doctree (*context*
    holds the page's escaped ``title`` and its per-page ``meta`` fields)."""
    from sphinxext.opengraph import get_tags

    return get_tags(
        context,
        new_document(pagename, _empty_document_settings()),
        srcdir=app.srcdir,
        outdir=app.outdir,
        config=app.config,
        builder=app.builder,
        env=app.env,
    )


def description(metatags: str) -> str | None:
    """The ``og:description`` content (escaped, as written) in *metatags*, if any."""
    found = _OG_DESCRIPTION.search(metatags)
    return found.group(1) if found else None
