"""One archive page per category, tag and author, never two names on one URL.

ablog names the archive page of a category, tag or author after
``slugify(name)``, which keeps only letters, digits, ``_``, spaces and hyphens:
``C/C++`` and ``CC`` both become ``blog/category/cc.html``, every emoji-only tag
becomes ``blog/tag/.html``, and whichever page is written last silently
replaces the other.  This extension

* gives every name a slug with :func:`archive_slug`: ablog's own slug when it
  keeps the whole name (``Machine Learning`` -> ``machine-learning``,
  ``强化学习`` -> ``强化学习``; every existing URL stays as it was), and ablog's
  slug plus a short hash of the name when it drops characters
  (``C/C++`` -> ``cc-…``, ``🚀`` -> ``…``), which is distinct and stable;
* hands these slugs to ablog before it files the posts (its collections take a
  path), so its archive pages, sidebars, feeds and cross-reference targets use
  them; ``latest_updates``, ``post_extras`` and ``ablog_labels`` link with the
  same function;
* warns, naming both names and files, when two names still share a page:
  names that differ only in case or spacing (``Machine Learning`` and
  ``machine learning``), almost always one category spelt two ways.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan.compat import ablog

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

# ablog's catalogs whose collections come from post front matter, and their display names
_CATALOGS = {"category": "category", "tags": "tag", "author": "author"}
_DROPPED_BY_SLUGIFY = re.compile(r"[^\w\s-]")


def archive_slug(name: str) -> str:
    """The slug of *name*'s archive page: ablog's, made unique if ablog's loses characters."""
    name = str(name)
    slug = ablog.slugify(name)
    if unicodedata.normalize("NFKD", name) == name and not _DROPPED_BY_SLUGIFY.search(name) and slug:
        return slug
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Give ablog's collections our slugs before it files posts into them; report clashes."""
    if "ablog" not in app.extensions or not ablog.active(app):
        return []
    for key, kind in _CATALOGS.items():
        labels = ablog.record_labels(env, key)
        pages: dict[str, list[Any]] = {}
        for coll in ablog.reslug_collections(app, key, set(labels), archive_slug):
            pages.setdefault(coll.docname, []).append(coll)
        for docname, sharing in sorted(pages.items()):
            if len(sharing) < 2:
                continue
            named = [
                f"{coll.name!r} ({env.doc2path(labels[coll.label][0], False)})" for coll in sharing
            ]
            logger.warning(
                "%s names %s share one archive page, %s.html; write the name the same way in every post",
                kind,
                " and ".join(named),
                docname,
                type="archive_slugs",
                subtype="collision",
                location=labels[sharing[-1].label][0],
            )
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    # after ablog has read every post, before any page (or sidebar) is written
    app.connect("env-updated", _on_env_updated)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
