"""Export ablog's category and tag archives as labels, so objects.inv lists them.

ablog resolves ``category-large-model`` or ``tag-rlhf`` itself, through
``missing-reference``, which other projects never see.  After every read this
adds one standard-domain label per category and tag of a published post,
pointing at its archive page, and drops the labels it added last time, so
Sphinx writes them to ``objects.inv`` and intersphinx can link to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zhiyuan import state
from zhiyuan.compat import ablog
from zhiyuan.pages.archive_slugs import archive_slug

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

_CATALOGS = (("category", "category", "category"), ("tags", "tag", "tag"))


def archive_labels(app: Sphinx, env: BuildEnvironment) -> dict[str, tuple[str, str]]:
    """``{label: (archive docname, display name)}`` for every category and tag in use."""
    posts = ablog.published_records(env)
    labels = {}
    for key, xref, path in _CATALOGS:
        # a name once, however many posts carry it
        for name in dict.fromkeys(name for info in posts for name in info.get(key) or []):
            slug = archive_slug(name)
            labels[f"{xref}-{slug}"] = (ablog.os_path_join(app.config.blog_path, path, slug), name)
    return labels


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Replace last build's archive labels by this build's."""
    if not ablog.active(app):
        return []
    std = env.domains.standard_domain
    for label in state.site_value(env, "ablog_labels.added", []):
        std.labels.pop(label, None)
        std.anonlabels.pop(label, None)
    added = []
    for label, (docname, name) in sorted(archive_labels(app, env).items()):
        if label in std.labels:  # a real label of the same name wins
            continue
        std.labels[label] = (docname, "", name)
        std.anonlabels[label] = (docname, "")
        added.append(label)
    state.set_site_value(env, "ablog_labels.added", added)
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("ablog")
    app.setup_extension("zhiyuan.pages.archive_slugs")  # the archive pages these labels point at
    app.connect("env-updated", _on_env_updated)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
