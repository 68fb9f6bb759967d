"""sphinxext-opengraph: every use of its internals, written for sphinxext-opengraph 0.13.

The site runs its tag writer (``get_tags``, a module function) for generated pages, which it
skips; reads the ``og:description`` it wrote to repeat it as ``twitter:description``; and loads
it without its social-card module (matplotlib) unless the site wants cards, silencing the note
it prints then.  Outside the versions of
:data:`PATCH`, generated pages keep no OpenGraph tags and pages no Twitter description.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import sys
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
    "Twitter description; every build imports matplotlib for its social cards",
)

# its module of social-card images, which imports matplotlib
_SOCIAL_CARDS = "sphinxext.opengraph._social_cards"
# the format of its ``make_tag`` for the description
_OG_DESCRIPTION = re.compile(r'<meta property="og:description" content="([^"]*)" />')


def active(app: Sphinx) -> bool:
    """Whether the installed sphinxext-opengraph is one these functions were written for."""
    return applies(app, PATCH)


def setup_quietly(app: Sphinx) -> None:
    """Load sphinxext-opengraph without its social-card module, and without the note it
    ``print()``s when that module cannot be imported.

    The module imports matplotlib and pyplot at once (0.4–0.5 s of every build, no-ops
    included), for cards this site does not draw (``ogp_social_cards = {"enable": False}``).
    sphinxext-opengraph imports it in a ``try`` and carries on without cards when it cannot;
    here it cannot, and :func:`_social_cards_if_wanted` imports it after all, once the
    configuration is read, for a site that does want cards.
    """
    deferred = applies(app, PATCH) and _SOCIAL_CARDS not in sys.modules
    with contextlib.redirect_stdout(io.StringIO()):
        if not deferred:
            app.setup_extension("sphinxext.opengraph")
            return
        sys.modules[_SOCIAL_CARDS] = None  # an import of it raises ImportError
        try:
            app.setup_extension("sphinxext.opengraph")
        finally:
            del sys.modules[_SOCIAL_CARDS]
    app.connect("config-inited", _social_cards_if_wanted)


def _social_cards_if_wanted(app: Sphinx, config: Any) -> None:
    """Give sphinxext-opengraph its social-card functions, as its import would have, unless the
    site turned the cards off."""
    options = config.ogp_social_cards or {}
    import sphinxext.opengraph as opengraph

    if options.get("enable") is False or opengraph.create_social_card is not None:
        return
    from sphinxext.opengraph import _social_cards

    opengraph.create_social_card = _social_cards.create_social_card
    opengraph.DEFAULT_SOCIAL_CONFIG = _social_cards.DEFAULT_SOCIAL_CONFIG


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
