"""The ``<link>`` and ``<script>`` tags of the theme's assets, built once per folder.

Sphinx builds every page's asset tags anew: for each of the seventeen style
sheets and scripts the themes and extensions add, it resolves the file's path
on disk (``Path.resolve``, a system call per path component) to look up its
checksum, and computes its link relative to the page.  Both depend only on the
asset and on the page's folder, so two pages in one folder get the same tags.
Here each tag is built once per folder and asset and reused.  Pages whose tags are not Sphinx's
(sphinx-notfound-page gives the 404 page its own, with absolute links) keep theirs.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from zhiyuan.compat import sphinx as sphinx_compat

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_BUILT = "_portal_theme_asset_tags"


def _asset_key(asset: Any) -> tuple[Any, ...] | None:
    """What a tag is built from, or None where that is not hashable (then the tag is built as usual)."""
    if isinstance(asset, str):
        return (str, asset)
    attributes = getattr(asset, "attributes", None)
    if not isinstance(attributes, dict):
        return None
    key = (type(asset), getattr(asset, "filename", None), *sorted(attributes.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _shared(build: Callable[[Any], str], tags: dict[tuple[Any, ...], str]) -> Callable[[Any], str]:
    def tag(asset: Any) -> str:
        key = _asset_key(asset)
        if key is None:
            return build(asset)
        if key not in tags:
            tags[key] = build(asset)
        return tags[key]

    return tag


def share_asset_tags(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Before rendering: let the page reuse the asset tags of the pages in its folder."""
    folder = None
    for name in ("css_tag", "js_tag"):
        build = context.get(name)
        if not sphinx_compat.links_as_sphinx(build):
            continue
        if folder is None:
            folder = posixpath.dirname(app.builder.get_target_uri(pagename))
        tags = app.__dict__.setdefault(_BUILT, {}).setdefault((name, folder), {})
        context[name] = _shared(build, tags)


def forget_asset_tags(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once documents are read: forget the last build's tags (assets may have changed)."""
    app.__dict__.pop(_BUILT, None)
    return []
