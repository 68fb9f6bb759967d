"""Chinese search (_ext/zh_search.py): the user dictionary segments the index, and it is
loaded (with jieba's model) only once a page is indexed, so a no-op rebuild skips it."""

from __future__ import annotations

import shutil
from pathlib import Path

import jieba
import sphinx.search.zh

from helpers import build, search_index


def _terms(app) -> dict:
    return search_index(Path(app.outdir))["terms"]


def test_the_user_dictionary_segments_the_index(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-zh-search", src)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    terms = _terms(app)
    assert "知源门户" in terms  # one word in userdict.txt, several in jieba's own dictionary
    assert "梯度" in terms


def test_the_dictionary_is_loaded_at_the_first_page_indexed(rootdir, tmp_path, monkeypatch):
    loaded = []
    load_userdict = jieba.load_userdict
    record = lambda path: loaded.append(path) or load_userdict(path)  # noqa: E731
    monkeypatch.setattr(jieba, "load_userdict", record)
    monkeypatch.setattr(sphinx.search.zh, "jieba_load_userdict", record)  # Sphinx's own import of it
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-zh-search", src)
    first = build(src, freshenv=True)
    assert first.warning.getvalue() == ""
    assert loaded == [str(src / "userdict.txt")]  # once, for both pages

    loaded.clear()
    noop = build(src)
    assert noop.warning.getvalue() == ""
    assert loaded == []
    assert "知源门户" in _terms(noop)

    with (src / "other.rst").open("a", encoding="utf-8") as other:
        other.write("\n强化学习。\n")
    edit = build(src)
    assert edit.warning.getvalue() == ""
    assert loaded == [str(src / "userdict.txt")]
    assert "强化" in _terms(edit)
