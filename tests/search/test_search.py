"""Chinese search (_ext/zhiyuan/search): the user dictionary segments the index, and it is loaded
(with jieba's model) only once a page is indexed, so a no-op rebuild skips it; each text is
segmented once, its words kept between builds, by a helper process while documents are read,
into the same index."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jieba
import pytest
import sphinx.search.zh
from hypothesis import given, settings
from hypothesis import strategies as st

import zhiyuan.search as zh_search
from zhiyuan.search import SearchChineseFixed
from zhiyuan.search.segmenter import Segmenter, load_dictionary, segment

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


def test_without_a_helper_the_dictionary_is_loaded_at_the_first_page_indexed(rootdir, tmp_path, monkeypatch):
    loaded = []
    load_userdict = jieba.load_userdict
    record = lambda path: loaded.append(path) or load_userdict(path)  # noqa: E731
    monkeypatch.setattr(jieba, "load_userdict", record)
    monkeypatch.setattr(sphinx.search.zh, "jieba_load_userdict", record)  # Sphinx's own import of it
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-zh-search", src)
    first = build(src, freshenv=True, confoverrides={"zh_search_helper": False})
    assert first.warning.getvalue() == ""
    assert loaded == [str(src / "userdict.txt")]  # once, for both pages

    loaded.clear()
    noop = build(src, confoverrides={"zh_search_helper": False})
    assert noop.warning.getvalue() == ""
    assert loaded == []
    assert "知源门户" in _terms(noop)

    with (src / "other.rst").open("a", encoding="utf-8") as other:
        other.write("\n强化学习。\n")
    edit = build(src, confoverrides={"zh_search_helper": False})
    assert edit.warning.getvalue() == ""
    assert loaded == [str(src / "userdict.txt")]
    assert "强化" in _terms(edit)


# -- segmented once, and ahead by a helper process ---------------------------

_TEXT = st.text(st.sampled_from(list("梯度下降知源门户强化学习策略的了是在。，、 \nPPOpolicisagentbch_0123")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_TEXT, max_size=6).map(lambda texts: texts + texts[:3]))
def test_split_is_sphinxs_with_each_text_segmented_once(rootdir, texts):
    options = {"dict": str(rootdir / "test-zh-search" / "userdict.txt")}
    ours, sphinxs = SearchChineseFixed(options), sphinx.search.zh.SearchChinese(options)
    assert [ours.split(text) for text in texts] == [sphinxs.split(text) for text in texts]
    assert ours.latin_terms == sphinxs.latin_terms  # what stem() reads


def test_each_text_is_segmented_once(rootdir, monkeypatch):
    segmented = []
    monkeypatch.setattr(zh_search.words, "segment", lambda text: segmented.append(text) or segment(text))
    lang = SearchChineseFixed({"dict": str(rootdir / "test-zh-search" / "userdict.txt")})
    for text in ["梯度下降", "x_1", "梯度下降", "x_1", "策略"]:
        lang.split(text)
    assert segmented == ["梯度下降", "x_1", "策略"]


def test_words_are_kept_between_builds_under_the_dictionary_they_came_from(rootdir, tmp_path, monkeypatch):
    """A rebuild segments only new text; a changed user dictionary segments everything anew."""
    segmented = []
    monkeypatch.setattr(zh_search.words, "segment", lambda text: segmented.append(text) or segment(text))
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-zh-search", src)
    overrides = {"zh_search_helper": False}
    first = build(src, freshenv=True, confoverrides=overrides)
    assert first.warning.getvalue() == "" and "梯度下降。" in segmented

    segmented.clear()
    with (src / "other.rst").open("a", encoding="utf-8") as other:
        other.write("\n策略梯度。\n")
    edit = build(src, confoverrides=overrides)
    assert edit.warning.getvalue() == ""
    assert segmented == ["策略梯度。"]  # the page's other text, its title among it, is known

    segmented.clear()
    (src / "userdict.txt").write_text("知源门户 100 n\n策略梯度 100 n\n", encoding="utf-8")
    (src / "other.rst").write_text((src / "other.rst").read_text(encoding="utf-8") + "\n新段落。\n", encoding="utf-8")
    redone = build(src, confoverrides=overrides)
    assert redone.warning.getvalue() == ""
    assert "梯度下降。" in segmented  # known, but under the old dictionary
    assert "策略梯度" in _terms(redone)


def test_the_helper_segments_as_jieba_does_here(rootdir):
    user_dict = str(rootdir / "test-zh-search" / "userdict.txt")
    load_dictionary(user_dict)
    texts = ["知源门户收录机器学习的文章。", "梯度下降", "PPO agents 用 clipping"]
    helper = Segmenter(user_dict)
    try:
        helper.ask(texts[:2])
        assert [helper.words(text) for text in texts] == [segment(text) for text in texts]  # the last one not asked ahead
        assert not helper.failed
    finally:
        helper.close()


def _build(rootdir, tmp_path, name: str, helper: bool):
    src = tmp_path / name
    shutil.copytree(rootdir / "test-zh-search", src)
    return build(src, freshenv=True, confoverrides={"zh_search_helper": helper})


@pytest.fixture
def alone(rootdir, tmp_path):
    app = _build(rootdir, tmp_path, "alone", False)
    assert app.warning.getvalue() == ""
    assert app.builder.indexer.lang.words.helper is None
    return app


def test_a_helper_process_segments_the_text_and_the_index_is_the_same(rootdir, tmp_path, monkeypatch, alone):
    loaded = []
    load_userdict = jieba.load_userdict
    monkeypatch.setattr(jieba, "load_userdict", lambda path: loaded.append(path) or load_userdict(path))
    started = []
    monkeypatch.setattr(zh_search, "Segmenter", lambda user_dict: started.append(user_dict) or Segmenter(user_dict))
    helped = _build(rootdir, tmp_path, "helped", True)
    assert helped.warning.getvalue() == ""
    lang = helped.builder.indexer.lang
    assert isinstance(lang.words.helper, Segmenter) and not lang.words.helper.failed
    assert started == [str(tmp_path / "helped" / "userdict.txt")]
    assert loaded == []  # by the helper (forked: its calls are recorded in its own copy), not the builder
    assert search_index(Path(helped.outdir)) == search_index(Path(alone.outdir))
    assert "polici" in search_index(Path(helped.outdir))["titleterms"]
    assert {"知源门户", "batch", "updat"} <= set(_terms(helped))
    assert lang.latin_terms == alone.builder.indexer.lang.latin_terms

    started.clear()
    noop = build(tmp_path / "helped", confoverrides={"zh_search_helper": True})
    assert noop.warning.getvalue() == ""
    assert started == []  # nothing read, nothing written


def _die(texts):
    os._exit(1)


def test_a_helper_that_dies_is_a_warning_and_the_index_is_the_same(rootdir, tmp_path, monkeypatch, alone):
    monkeypatch.setattr(zh_search.segmenter, "_segment_all", _die)
    app = _build(rootdir, tmp_path, "dies", True)
    warnings = app.warning.getvalue()
    assert warnings.count("the helper process segmenting text for the search index failed") == 1, warnings
    assert "[zh_search.helper]" in warnings
    assert search_index(Path(app.outdir)) == search_index(Path(alone.outdir))
