"""The environment store: per-document tables purged and merged in one place, site-wide values kept."""

from __future__ import annotations

import pickle
from types import SimpleNamespace

from zhiyuan import state


def _env():
    return SimpleNamespace()


def test_a_purged_document_leaves_every_table():
    env = _env()
    state.per_document(env, "a")["doc1"] = 1
    state.per_document(env, "a")["doc2"] = 2
    state.per_document(env, "b")["doc1"] = "x"
    state._on_env_purge_doc(None, env, "doc1")
    assert state.per_document(env, "a") == {"doc2": 2}
    assert state.per_document(env, "b") == {}


def test_a_merge_takes_over_only_the_documents_the_reader_read():
    env, other = _env(), _env()
    state.per_document(env, "a")["kept"] = 0
    state.per_document(other, "a").update(read=1, not_mine=2)
    state.per_document(other, "new")["read"] = 3
    state._on_env_merge_info(None, env, {"read"}, other)
    assert state.per_document(env, "a") == {"kept": 0, "read": 1}
    assert state.per_document(env, "new") == {"read": 3}


def test_site_values_and_tables_survive_pickling():
    env = _env()
    state.set_site_value(env, "shown", {"index": "digest"})
    state.per_document(env, "posts")["p"] = ("title",)
    again = pickle.loads(pickle.dumps(env))
    assert state.site_value(again, "shown") == {"index": "digest"}
    assert state.per_document(again, "posts") == {"p": ("title",)}
    assert state.site_value(again, "missing", 7) == 7
