"""sphinx-notfound-page: what the site assumes of it, written for sphinx-notfound-page 1.1.

notfound writes its ``404.html`` from ``html-collect-pages`` on every build.  The cache of
generated pages (``pages/generated.py``) skips it when its fingerprint did not change,
assuming the page shows only ``notfound_context`` and what every page shows; and the
theme's per-folder navigation and asset tags leave it alone because notfound replaces its
``pathto``, ``toctree``, ``css_tag`` and ``js_tag`` by absolute-link versions
(:func:`zhiyuan.compat.sphinx.links_as_sphinx`).  Outside the versions of :data:`PATCH`,
the 404 page is written on every build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["PATCH", "cacheable_page"]

PATCH = Patch("sphinx-notfound-page", ">=1.1,<1.2", "the 404 page is written anew on every build")


def cacheable_page(app: Sphinx) -> str | None:
    """The name of notfound's page, if it is loaded and may be kept while its fingerprint holds."""
    if "notfound.extension" not in app.extensions or not applies(app, PATCH):
        return None
    return app.config.notfound_pagename
