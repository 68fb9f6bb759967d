"""The index's files (_ext/zhiyuan/search/index.py), from pages made by hand."""

from __future__ import annotations

import json
import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiyuan.search import index
from zhiyuan.search.documents import SearchDocument, Section
from zhiyuan.search.index import (
    ARTICLE,
    MAX_POSTINGS,
    PAGE,
    Last,
    Listed,
    Page,
    build_index,
    index_files,
    listed,
    page_texts,
    phrases,
    synonym_groups,
)


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


# -- an index made from the last one ------------------------------------------------------------

_CHARACTERS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你对能而子那得于着下自之年过发后作里"


def _corpus(seed: int, count: int) -> list[Page]:
    """*count* pages of Chinese text from a few dozen characters (bigrams many pages share,
    one more than :data:`MAX_POSTINGS` pages hold) and identifiers only some hold."""
    rng = random.Random(seed)
    pages = []
    for number in range(count):
        text = "".join(rng.choice(_CHARACTERS) for _ in range(rng.randrange(5, 60)))
        code = " ".join(f"name_{rng.randrange(400)}" for _ in range(rng.randrange(4)))
        document = SearchDocument((Section("", "标题", "共同的词" + text, code), Section("later", "后面", text[::-1])))
        pages.append(Page(f"p{number}", f"p{number}.html", f"第{number}篇", ARTICLE, document))
    return pages


def _entries(pages: list[Page], kept: dict[Page, Listed]) -> list[Listed]:
    """*pages* as :func:`index_files` takes them; those of *kept* the same objects, as the build
    reads an unchanged page's from its cache."""
    return [kept.get(page) or listed(page, page_texts(page)[0]) for page in pages]


@st.composite
def _edits(draw):
    """A site and edits of it, one after another: a page's body or title changed, a page moved,
    a page added or removed."""
    seed = draw(st.integers(0, 10_000))
    count = draw(st.integers(MAX_POSTINGS - 3, MAX_POSTINGS + 8))
    kinds = st.sampled_from(["body", "shorter", "title", "move", "add", "remove"])
    return seed, count, draw(st.lists(st.tuples(kinds, st.integers(0, 10_000)), min_size=1, max_size=4))


@settings(max_examples=25, deadline=None)
@given(_edits())
def test_an_index_made_from_the_last_one_is_the_one_made_from_nothing(case):
    seed, count, edits = case
    pages = _corpus(seed, count)
    entries = _entries(pages, {})
    known = dict(zip(pages, entries))
    files, scored = index_files(entries, [])
    last = Last(entries, scored, {name: files[name] for name in scored.shards})
    for kind, at in edits:
        pages = list(pages)
        number = at % len(pages)
        page = pages[number]
        sections = page.document.sections
        if kind == "body":  # longer: every page's length counts in every score
            pages[number] = replace(page, document=SearchDocument(
                (replace(sections[0], text=sections[0].text + "新的一段话 name_999"), *sections[1:])))
        elif kind == "shorter":  # its first section gone, and with it the terms only it held
            pages[number] = replace(page, document=SearchDocument(sections[1:]))
        elif kind == "title":
            pages[number] = replace(page, title=page.title + "（修订版）")
        elif kind == "move":
            pages.insert(at % (len(pages) - 1), pages.pop(number))
        elif kind == "add":
            pages.insert(number, _corpus(at, 1)[0])
        else:
            del pages[number]
        entries = _entries(pages, known)
        known = dict(zip(pages, entries))
        made = index_files(entries, [], last)
        assert made == index_files(entries, [])
        files, scored = made
        last = Last(entries, scored, {name: files[name] for name in scored.shards})


def test_an_edit_of_one_page_gathers_the_postings_of_few_terms(monkeypatch):
    pages = _corpus(1, MAX_POSTINGS + 5)
    entries = _entries(pages, {})
    files, scored = index_files(entries, [])
    terms_there = {term for entry in entries for term in entry.weights.terms}
    rows = []
    row = index._row
    monkeypatch.setattr(index, "_row", lambda found: rows.append(found) or row(found))
    edited = replace(pages[7], title="一个新的标题")
    again = _entries([*pages[:7], edited, *pages[8:]], dict(zip(pages, entries)))
    made = index_files(again, [], Last(entries, scored, {name: files[name] for name in scored.shards}))
    assert len(rows) < len(terms_there) / 4  # the edited page's terms, and those whose score moved
    assert made == index_files(again, [])
