"""The index's files (_ext/zhiyuan/search/index.py), from pages made by hand."""

from __future__ import annotations

import json

from zhiyuan.search.documents import SearchDocument, Section
from zhiyuan.search.index import ARTICLE, MAX_POSTINGS, PAGE, Page, build_index, phrases, synonym_groups


def _page(number: int, title: str, text: str, kind: int = ARTICLE, **fields) -> Page:
    document = SearchDocument((Section("", title, text), Section("later", "后面", "另一节")))
    return Page(f"p{number}", f"p{number}.html", title, kind, document, **fields)


def _postings(files: dict[str, bytes], term: str) -> list[int]:
    for name, data in files.items():
        if name.startswith("shard/") and term in (shard := json.loads(data)):
            return shard[term]
    raise KeyError(term)


def test_a_match_in_the_title_outscores_one_in_the_text():
    files = build_index([_page(0, "显存优化", "正文"), _page(1, "别的", "正文提到显存优化"), _page(2, "无关", "无关")], [])
    postings = _postings(files, "显存")
    assert postings[0::3] == [0, 1]  # pages, best first
    assert postings[1] > postings[4]


def test_a_reference_list_counts_less_than_the_text():
    cited = SearchDocument((Section("", "甲", "正文"), Section("参考文献", "参考文献", "显存 显存 显存")))
    explained = SearchDocument((Section("", "乙", "显存"),))
    files = build_index([Page("a", "a.html", "甲", ARTICLE, cited), Page("b", "b.html", "乙", ARTICLE, explained)], [])
    assert _postings(files, "显存")[0] == 1


def test_a_glossary_term_pointing_at_a_page_counts_for_it():
    files = build_index([_page(0, "甲", "文"), _page(1, "乙", "文", glossary_terms=("Activation Checkpointing",))], [])
    assert _postings(files, "checkpointing")[0] == 1


def test_postings_are_capped_and_index_json_lists_every_page_and_file():
    pages = [_page(n, f"第{n}篇", "共同的词", kind=PAGE if n == 0 else ARTICLE, category="Python",
                   date="2025-01-02") for n in range(MAX_POSTINGS + 5)]
    files = build_index(pages, [["显存", "gpu memory"]])
    assert len(_postings(files, "共同")) == 3 * MAX_POSTINGS
    index = json.loads(files["index.json"])
    assert index["pages"][0][:5] == ["p0.html", "第0篇", "Python", "2025-01-02", PAGE]
    assert set(index["shards"]) == {name for name in files if name.startswith("shard/")}
    folder = index["pages"][1][5]
    assert json.loads(files[f"{folder}/1.json"]) == ["later", "后面", "另一节", ""]
    assert index["synonyms"] == [["显存", "gpu memory"]] and index["categories"] == ["Python"]
    # a file's name changes with its content, and only then
    assert build_index(pages, [["显存", "gpu memory"]]) == files


def test_phrases_and_synonym_groups():
    assert phrases("Mixture of Experts (MoE)") == ["mixture of experts", "moe"]
    assert phrases("多 token 预测") == ["多token预测"]
    assert phrases("Bradley–Terry 模型") == ["bradley-terry模型"]
    assert synonym_groups([("显存", "GPU Memory"), ("ZeRO",), ("RLHF", "rlhf")]) == [["显存", "gpu memory"]]
