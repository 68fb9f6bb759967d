"""What our parts keep on Sphinx's environment: one store, purged and merged in one place.

The environment is pickled between builds, so what a part learns while reading a
document (a post's record, its formulas, the indexes on a page) survives to the next
incremental build.  Every such record lives in one store on the environment,
``env.zhiyuan``:

* **per-document** tables (:func:`per_document`): ``{docname: value}``, forgotten when the
  document is re-read or removed and taken over from parallel readers, here, for every
  table at once;
* **site-wide** values (:func:`site_value`, :func:`set_site_value`): what the last build
  showed (fingerprints), compared with this build's to know which pages to write again.

The store has one version, :data:`VERSION` (the extension's ``env_version``): change it
whenever the shape of what a part stores changes, and Sphinx reads every document anew.
Per-build caches are files, kept by :mod:`zhiyuan.caches`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The version of what the store holds (every part's records).
VERSION = 5

_ATTRIBUTE = "zhiyuan"


@dataclass
class Store:
    """Our records on one environment."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)


def _store(env: BuildEnvironment) -> Store:
    store = getattr(env, _ATTRIBUTE, None)
    if not isinstance(store, Store):
        store = Store()
        setattr(env, _ATTRIBUTE, store)
    return store


def per_document(env: BuildEnvironment, table: str) -> dict[str, Any]:
    """The table *table*: ``{docname: value}`` of what a part recorded while reading."""
    return _store(env).documents.setdefault(table, {})


def site_value(env: BuildEnvironment, name: str, default: Any = None) -> Any:
    """What the last build recorded as *name* (or *default*)."""
    return _store(env).site.get(name, default)


def set_site_value(env: BuildEnvironment, name: str, value: Any) -> None:
    """Record *value* as *name* for the next build."""
    _store(env).site[name] = value


def _on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget what a re-read or removed document contributed to every table."""
    for table in _store(env).documents.values():
        table.pop(docname, None)


def _on_env_merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Take over what a parallel reader recorded, table by table."""
    for name, theirs in _store(other).documents.items():
        table = per_document(env, name)
        table.update((docname, theirs[docname]) for docname in sorted(docnames) if docname in theirs)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    return {"version": "1.0", "env_version": VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
