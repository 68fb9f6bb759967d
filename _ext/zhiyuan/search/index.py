"""The search index: scored postings in shards, the list of pages, the glossary's synonyms, and
each page's text for the result snippets.  Pure Python: pages in, files (path → bytes) out.

Files, under ``_search/`` in the output:

* ``index.json`` — the only file with a fixed name, read when a reader opens search:
  ``pages`` (URL, title, category, date, kind, text file), ``shards`` (file names, by shard
  number), ``synonyms`` (groups of phrases), ``categories``.
* ``shard/<n>.<digest>.json`` — ``{term: [page, score, section, page, score, section, …]}``
  for the terms whose :func:`~.tokens.shard_key` hashes to *n*; postings best first, at most
  :data:`MAX_POSTINGS` per term.  A query loads the shards of its terms only.
* ``text/<digest>/<n>.json`` — ``[anchor, heading, text, code]`` of section *n* of a page (the
  folder is named by a digest of all the page's sections): loaded for the results shown, one
  section each, to cut their snippets from.

Every file but ``index.json`` is named by a digest of its content, so a browser may keep it
for ever and a rebuild that changes one page leaves the other files as they were.

An index is made from the last one when it can be (:class:`Last`): every score depends on every
page, but an edit of one page moves few of them once rounded, so only the terms of the pages
that changed and the terms whose rounded score moved on some page have their postings made
again, and only the shards where those differ are written again — the same files as an index
made from nothing.

A score is BM25 (k1 = 1.2, b = 0.75) over a weighted term frequency: a term counts
:data:`FIELD_WEIGHTS` times in the title, a heading, a glossary term that points at the page,
a tag, the prose and the code; the prose of a reference list (a section headed
:data:`REFERENCE_HEADINGS`) counts a fifth, since the titles it cites are not what the page
explains.  Article, glossary and other pages are told apart by their ``kind``; the browser
ranks articles first.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from .documents import SearchDocument
from .tokens import CJK_CHARS, fnv1a, is_cjk, normalize, shard_key, terms

FORMAT_VERSION = 1
FIELD_WEIGHTS = {"title": 8.0, "glossary": 5.0, "heading": 3.0, "tag": 2.0, "prose": 1.0, "code": 0.5}
MAX_POSTINGS = 100
REFERENCE_HEADINGS = frozenset({"参考文献", "参考资料", "延伸阅读", "references", "bibliography", "further reading"})
_REFERENCE_WEIGHT = 0.2
_K1 = 1.2
_B = 0.75
# a shard's JSON is aimed at about this size, before compression
_SHARD_BYTES = 16_000
# a posting packs its page's number and section into the low bits of an integer (index_files)
_FIELD_BITS = 20
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_SCORE_SHIFT = 2 * _FIELD_BITS
_page_of, _section_of = (_FIELD_BITS).__rrshift__, _FIELD_MASK.__and__  # of a posting, at C's speed

ARTICLE, GLOSSARY, PAGE = 0, 1, 2


@dataclass(frozen=True)
class Page:
    """One page of the site as the index lists it."""

    docname: str
    url: str
    title: str
    kind: int
    document: SearchDocument
    category: str = ""
    date: str = ""
    tags: tuple[str, ...] = ()
    #: the terms of glossary entries that point readers to this page
    glossary_terms: tuple[str, ...] = ()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def _json(value: object, *, sort_keys: bool = False) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys).encode("utf-8")


class Weights(NamedTuple):
    """What a page gives the index's scores, the same whatever the other pages: its terms, each
    term's weighted frequency and the section where it weighs most (0 for a term of the title,
    a tag or a glossary term only), in one order, and the page's length in terms."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]
    sections: tuple[int, ...]
    length: int


def term_weights(page: Page) -> Weights:
    """The :class:`Weights` of *page*."""
    by_section: list[Counter[str]] = []
    whole: Counter[str] = Counter()
    for weight_name, text in (("title", page.title), ("glossary", " ".join(page.glossary_terms)),
                              ("tag", " ".join(page.tags))):
        for term in terms(text):
            whole[term] += FIELD_WEIGHTS[weight_name]
    length = 0
    for section in page.document.sections:
        counts: Counter[str] = Counter()
        cited = normalize(section.heading).strip() in REFERENCE_HEADINGS
        for weight_name, text in (("heading", section.heading), ("prose", section.text), ("code", section.code)):
            section_terms = terms(text)
            length += len(section_terms)
            weight = FIELD_WEIGHTS[weight_name] * (_REFERENCE_WEIGHT if cited and weight_name == "prose" else 1.0)
            for term in section_terms:
                counts[term] += weight
        by_section.append(counts)
        whole.update(counts)
    best_section: dict[str, int] = {}
    best_weight: dict[str, float] = {}
    for number, counts in enumerate(by_section):
        for term, weight in counts.items():
            if weight > best_weight.get(term, 0.0):
                best_weight[term], best_section[term] = weight, number
    return Weights(tuple(whole), tuple(whole.values()), tuple(best_section.get(term, 0) for term in whole), length)


_ABBREVIATION = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")


def phrases(term: str) -> list[str]:
    """The phrases a glossary term stands for: ``Mixture of Experts (MoE)`` → ``mixture of
    experts``, ``moe``; spaces around Chinese dropped (``多 token 预测`` → ``多token预测``)."""
    match = _ABBREVIATION.match(term)
    found = [match.group(1), match.group(2)] if match else [term]
    return [squeeze(normalize(phrase)) for phrase in found if phrase.strip()]


def squeeze(text: str) -> str:
    """*text* with runs of spaces as one, and none next to a Chinese character (as the browser
    squeezes a query before it looks for the glossary's phrases in it)."""
    text = " ".join(text.split())
    return re.sub(f"\\s*([{CJK_CHARS}])\\s*", r"\1", text)


def synonym_groups(term_lists: Iterable[tuple[str, ...]]) -> list[list[str]]:
    """Groups of phrases that mean the same (one per glossary entry with two phrases or more)."""
    groups = []
    for entry_terms in term_lists:
        group = list(dict.fromkeys(phrase for term in entry_terms for phrase in phrases(term)))
        if len(group) > 1:
            groups.append(group)
    return groups


@dataclass(frozen=True)
class Listed:
    """What the index's files take of a page: its line in ``index.json`` (URL, title, category,
    date, kind, the folder of its texts) and its :class:`Weights`."""

    url: str
    title: str
    category: str
    date: str
    kind: int
    texts: str
    weights: Weights


def page_texts(page: Page) -> tuple[str, dict[str, bytes]]:
    """The folder of *page*'s texts for the snippets (``text/<digest>``, named by their content)
    and its files, one per section."""
    sections = [_json([s.anchor, s.heading, s.text, s.code]) for s in page.document.sections]
    folder = f"text/{_digest(b''.join(sections))}"
    return folder, {f"{folder}/{number}.json": data for number, data in enumerate(sections)}


def listed(page: Page, texts: str, weights: Weights | None = None) -> Listed:
    """*page* as the index's files take it (its weights computed unless given)."""
    return Listed(page.url, page.title, page.category, page.date, page.kind, texts, weights or term_weights(page))


def build_index(pages: list[Page], synonyms: list[list[str]], weights: dict[str, Weights] | None = None) -> dict[str, bytes]:
    """The index's files, by path under ``_search/``.  *weights* holds :func:`term_weights` of the
    pages by docname, where known (a cache); missing ones are computed."""
    weights = weights if weights is not None else {}
    files: dict[str, bytes] = {}
    entries = []
    for page in pages:
        folder, texts = page_texts(page)
        files.update(texts)
        entries.append(listed(page, folder, weights.get(page.docname)))
    files.update(index_files(entries, synonyms)[0])
    return files


@dataclass(frozen=True)
class Scored:
    """What an index's shards were made of: the rounded score of each posting, page by page in
    the order of the page's :class:`Weights`, and the shards' file names, by shard number."""

    scores: list[list[int]]
    shards: list[str]


class Last(NamedTuple):
    """The last index written, for the next to be made from: its pages in its order, its
    :class:`Scored` and its shards' files (by name)."""

    pages: list[Listed]
    scored: Scored
    shards: dict[str, bytes]


def index_files(pages: list[Listed], synonyms: list[list[str]], last: Last | None = None) -> tuple[dict[str, bytes], Scored]:
    """``index.json`` and the shards of postings, by path under ``_search/``, for *pages* in the
    order the index lists them, and what the shards were made of; from the *last* index where it
    lists as many pages in as many shards.

    Every score is computed again (BM25's document frequencies and average length depend on
    every page), one list of rounded scores per page; then only the terms whose postings may
    differ from the last index's (:func:`_changed_terms`) are gathered, packed and sorted, and
    only the shards where one of them has other postings are made again.
    """
    per_page = [page.weights for page in pages]
    count = len(pages)
    average_length = (sum(weights.length for weights in per_page) / count) if count else 1.0
    frequency = Counter(chain.from_iterable(weights.terms for weights in per_page))

    # each term's inverse document frequency once, not once per page that holds it
    idf = {term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}
    factor = _K1 + 1
    scores = []
    for weights in per_page:
        norm = _K1 * (1 - _B + _B * weights.length / max(average_length, 1.0))
        scores.append([round(term_idf * weight * factor / (weight + norm) * 10)
                       for term_idf, weight in zip(map(idf.__getitem__, weights.terms), weights.weights)])

    total = sum(len(term) + 8 * df for term, df in frequency.items())
    shard_count = 1
    while total / shard_count > _SHARD_BYTES and shard_count < 4096:
        shard_count *= 2
    changed = _changed_terms(per_page, scores, last) if last and len(last.scored.shards) == shard_count else None

    shards: dict[int, dict[str, list[int]]] = {}  # all, or those of the last index holding a changed term
    if changed is None:
        shards = {number: {} for number in range(shard_count)}
    written: set[int] = set()  # those whose terms' rows are not the last index's
    # a term's shard by its shard key: a Chinese term's first character, another's first two
    chinese_shard: dict[str, int] = {}
    other_shard: dict[str, int] = {}
    for term, found in _postings(per_page, scores, frequency if changed is None else changed).items():
        shard = chinese_shard.get(term[:1])
        if shard is None:
            shard = other_shard.get(term[:2])
            if shard is None:
                key = shard_key(term)
                shard = fnv1a(key) & (shard_count - 1)
                (chinese_shard if is_cjk(key) else other_shard)[key] = shard
        terms_of_shard = shards.get(shard)
        if terms_of_shard is None:  # (a shard of the last index)
            terms_of_shard = shards[shard] = json.loads(last.shards[last.scored.shards[shard]])
        row = _row(found) if found else None  # (None: a term no page holds any more)
        if terms_of_shard.get(term) != row:
            if row is None:
                del terms_of_shard[term]
            else:
                terms_of_shard[term] = row
            written.add(shard)

    files: dict[str, bytes] = {}
    shard_names = []
    for number in range(shard_count):
        if number in written or changed is None:
            data = _json(shards[number], sort_keys=True)
            name = f"shard/{number}.{_digest(data)}.json"
        else:
            name = last.scored.shards[number]
            data = last.shards[name]
        files[name] = data
        shard_names.append(name)

    categories = sorted({page.category for page in pages if page.category})
    files["index.json"] = _json({
        "version": FORMAT_VERSION,
        "pages": [[page.url, page.title, page.category, page.date, page.kind, page.texts] for page in pages],
        "shards": shard_names,
        "synonyms": synonyms,
        "categories": categories,
    })
    return files, Scored(scores, shard_names)


def _changed_terms(per_page: list[Weights], scores: list[list[int]], last: Last) -> set[str] | None:
    """The terms whose postings may differ from the *last* index's, or None if it lists another
    number of pages: every term, old or new, of a page whose weights are not those of the last
    index's page at its place, and every term whose rounded score moved on a page."""
    if len(last.pages) != len(per_page):
        return None
    changed: set[str] = set()
    for weights, page_scores, page, last_scores in zip(per_page, scores, last.pages, last.scored.scores):
        if weights is not page.weights and weights != page.weights:
            changed.update(weights.terms)
            changed.update(page.weights.terms)
        elif page_scores != last_scores:
            changed.update(term for term, score, last_score in zip(weights.terms, page_scores, last_scores)
                           if score != last_score)
    return changed


def _postings(per_page: list[Weights], scores: list[list[int]], terms: Iterable[str]) -> dict[str, list[int]]:
    """The postings of each of *terms*, one integer each, -score * 2**40 + page * 2**20 + section:
    sorted as they are, best first, then by page (a page holds a term once)."""
    postings: dict[str, list[int]] = {term: [] for term in terms}
    for number, (weights, page_scores) in enumerate(zip(per_page, scores)):
        page_bits = number << _FIELD_BITS
        for term, score, section in zip(weights.terms, page_scores, weights.sections):
            found = postings.get(term)
            if found is not None:
                found.append(((-score if score > 1 else -1) << _SCORE_SHIFT) | page_bits | section)
    return postings


def _row(found: list[int]) -> list[int]:
    """A term's row in its shard from its :func:`_postings`: page, score and section of each of
    the best :data:`MAX_POSTINGS`, best first."""
    if len(found) == 1:
        key = found[0]
        return [(key >> _FIELD_BITS) & _FIELD_MASK, -(key >> _SCORE_SHIFT), key & _FIELD_MASK]
    found.sort()
    del found[MAX_POSTINGS:]
    row = [0] * (3 * len(found))
    row[0::3] = map(_section_of, map(_page_of, found))
    row[1::3] = [-(key >> _SCORE_SHIFT) for key in found]
    row[2::3] = map(_section_of, found)
    return row
