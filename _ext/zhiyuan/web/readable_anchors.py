"""Readable, stable anchors for sections with Chinese headings.

docutils makes a section's id from its title with ASCII letters only, so a Chinese heading
gets a numbered id (``id2``), and that first id is what the page TOC, the heading's ``#``
permalink and Sphinx's table of contents link to.  Numbered ids follow the order of the
page: a link a reader shares to ``#id3`` points elsewhere once a section is added above it.
A heading that mixes Latin and Chinese keeps only its Latin words (``在用户空间安装
PostgreSQL 与 pgvector`` → ``postgresql-pgvector``), which two headings easily share (then
``postgresql-pgvector-1``).  MyST-Parser (``myst_heading_anchors``) already gives every
heading a readable slug of its whole title (``为什么需要确定性策略``,
``在用户空间安装-postgresql-与-pgvector``) as a further id, and keeps it second on purpose
(its ``AddSlugIds``).  This transform puts that slug first whenever the first id is
numbered or is docutils' id made from the title (an explicit label stays first), so every
link to the section uses it — the page TOC, the permalink, Sphinx's references and the
site's search (:func:`zhiyuan.search.documents.anchor_of` takes the first id).  The old id
stays on the section (an empty ``<span>`` in the HTML), so old ``#idN`` links keep working;
MyST's own links to the slug follow (:func:`zhiyuan.compat.myst_parser.point_slugs_at`).
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

from zhiyuan.compat import applies
from zhiyuan.compat import myst_parser as myst_compat

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

_NUMBERED = re.compile(r"id\d+\Z")
# per environment: whether MyST-Parser is a version whose slug links we may point elsewhere
_MYST_SLUGS: weakref.WeakKeyDictionary[BuildEnvironment, bool] = weakref.WeakKeyDictionary()


def readable_first(ids: list[str], title_id: str = "") -> list[str]:
    """*ids* with the last readable one (MyST's slug) first, when the first is numbered
    (``['id2', 'x']`` → ``['x', 'id2']``) or is *title_id*, docutils' id made from the title
    (``['postgresql-pgvector', '安装-postgresql']``); unchanged otherwise (an explicit label,
    or a title whose slug is docutils' id, is kept)."""
    if not ids or not (_NUMBERED.match(ids[0]) or (title_id and ids[0] == title_id)):
        return ids
    readable = [node_id for node_id in ids[1:] if not _NUMBERED.match(node_id)]
    if not readable:
        return ids
    first = readable[-1]
    return [first, *(node_id for node_id in ids if node_id != first)]


class ReadableSectionIds(SphinxTransform):
    """Put each section's readable id first (before Sphinx collects the table of contents)."""

    # right after MyST-Parser's AddSlugIds (700), which appends the slugs as secondary ids and
    # runs after every other id assignment; before its ResolveAnchorIds (879)
    default_priority = 701

    def apply(self, **kwargs: Any) -> None:
        renamed = {}
        for section in self.document.findall(nodes.section):
            names = section.get("names") or []
            ids = readable_first(section["ids"], nodes.make_id(names[0]) if names else "")
            if ids != section["ids"]:
                renamed[section["ids"][0]] = ids[0]
                section["ids"] = ids
        if renamed and _MYST_SLUGS.get(self.env, False):
            myst_compat.point_slugs_at(self.document, renamed)


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Decide once per build, before any document is read, whether MyST's slug links follow."""
    _MYST_SLUGS[env] = applies(app, myst_compat.PATCH)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.compat.myst_parser")
    app.add_transform(ReadableSectionIds)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
