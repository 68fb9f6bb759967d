"""sphinx-last-updated-by-git: what the site reads of it, written for sphinx-last-updated-by-git 0.3.8.

The extension asks git, after reading, for the author date of the last commit of each
document read (and of its dependencies) and keeps it in ``env.git_last_updated``
(docname → ``(timestamp, show_sourcelink)``, the timestamp a string of seconds since the
epoch, or None when git has no date for the file); its public output is only the theme's
``last_updated`` and a meta tag, made when the page is rendered.  The post header needs the
date earlier, when the post's doctree is resolved, so :func:`last_changed` reads that
table.  Outside the versions of :data:`PATCH` posts show no "最后更新" date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["PATCH", "last_changed"]

PATCH = Patch("sphinx-last-updated-by-git", ">=0.3.8,<0.4", "posts show no date of their last change")


def last_changed(app: Sphinx, docname: str) -> dt.datetime | None:
    """When git last saw *docname* change (an aware datetime in UTC), or None: git has no
    date for it, or the extension is not loaded or of another version."""
    if "sphinx_last_updated_by_git" not in app.extensions or not applies(app, PATCH):
        return None
    record = getattr(app.env, "git_last_updated", {}).get(docname)
    if not record or record[0] is None:
        return None
    return dt.datetime.fromtimestamp(int(record[0]), dt.UTC)
