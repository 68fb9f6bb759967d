"""The related-posts ranking (post_extras._RelatedPosts) against a plain definition, and the incremental
re-check against ranking everything anew, on random sites."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiyuan.pages.post_extras import (
    _Catalog,
    _catalog_inputs,
    _may_show_differently,
    _RelatedPosts,
    _shown,
)
from zhiyuan import state
from zhiyuan.posts.model import Post

LABELS = ["a", "b", "c", "d", "e"]

posts = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 1, 20)),
        st.sampled_from(["甲", "乙", "丙"]),  # titles: ties on date and title are common
        st.lists(st.sampled_from(LABELS), max_size=2, unique=True),  # categories
        st.lists(st.sampled_from(LABELS), max_size=4),  # tags, repeats allowed
    ),
    max_size=25,
)


def _site(entries):
    records = {}
    for number, (date, title, categories, tags) in enumerate(entries):
        docname = f"posts/p{number:02d}"
        records[docname] = Post(docname, title, date, tuple(categories), tuple(tags))
    env = SimpleNamespace()
    state.per_document(env, "posts").update(records)
    return env, sorted(records.values(), key=Post.sort_key)


def _expected(env, published, docname, limit):
    """Score = shared distinct tags + 1 for any shared category; best first, then newest, title, path."""
    me = state.per_document(env, "posts")[docname]
    scored = []
    for other in published:
        if other.docname == docname:
            continue
        score = len(set(me.tags) & set(other.tags)) + bool(set(me.categories) & set(other.categories))
        if score:
            scored.append((-score, other.sort_key(), other))
    return [other for *_, other in sorted(scored, key=lambda item: item[:2])[:limit]]


@settings(max_examples=200, deadline=None)
@given(posts, st.integers(min_value=0, max_value=6))
def test_ranking_matches_the_definition(entries, limit):
    env, published = _site(entries)
    docnames = [post.docname for post in published]
    related = _RelatedPosts(env, published, limit)
    for docname in docnames:
        assert related(docname) == _expected(env, published, docname, limit), docname


# -- incremental re-check: the posts it looks at again cover every post whose shown lists changed --

SERIES = ["s1", "s2", None]

edits = st.lists(
    st.tuples(
        st.sampled_from(["retitle", "redate", "relabel", "reseries", "add", "remove"]),
        st.integers(min_value=0, max_value=40),
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 1, 20)),
        st.sampled_from(["甲", "乙", "丙", "丁"]),
        st.lists(st.sampled_from(LABELS), max_size=4),
        st.sampled_from(SERIES),
    ),
    min_size=1,
    max_size=3,
)


def _catalog_env(entries, limit):
    records = {
        docname: Post(docname, title, date, tuple(categories), tuple(tags), series=series)
        for docname, (date, title, categories, tags, series) in entries.items()
    }
    config = SimpleNamespace(post_extras_related_count=limit, post_extras_series_titles={}, post_frontmatter_timezone=None)
    env = SimpleNamespace(config=config)
    state.per_document(env, "posts").update(records)
    return env


def _edited(entries, edit_list):
    entries = dict(entries)
    for kind, number, date, title, labels, series in edit_list:
        names = sorted(entries)
        if kind == "add" or not names:
            entries[f"posts/new{number:02d}"] = (date, title, labels[:2], labels, series)
            continue
        name = names[number % len(names)]
        old_date, old_title, categories, tags, old_series = entries[name]
        if kind == "remove":
            del entries[name]
        elif kind == "retitle":
            entries[name] = (old_date, title, categories, tags, old_series)
        elif kind == "redate":
            entries[name] = (date, old_title, categories, tags, old_series)
        elif kind == "relabel":
            entries[name] = (old_date, old_title, labels[:2], labels, old_series)
        else:
            entries[name] = (old_date, old_title, categories, tags, series)
    return entries


@settings(max_examples=300, deadline=None)
@given(posts, edits, st.integers(min_value=0, max_value=4), st.lists(st.sampled_from(SERIES), min_size=25, max_size=25))
def test_incremental_recheck_finds_every_post_whose_lists_changed(entries, edit_list, limit, series):
    before = {
        f"posts/p{number:02d}": (date, title, categories, tags, series[number])
        for number, (date, title, categories, tags) in enumerate(entries)
    }
    after = _edited(before, edit_list)
    old_env, new_env = _catalog_env(before, limit), _catalog_env(after, limit)
    old_catalog, new_catalog = _Catalog.from_env(old_env, limit), _Catalog.from_env(new_env, limit)
    old_shown = _shown(old_env.config, old_catalog, set(old_catalog.published))
    expected = _shown(new_env.config, new_catalog, set(new_catalog.published))

    recheck = _may_show_differently(
        new_catalog, _catalog_inputs(old_env)[0], _catalog_inputs(new_env)[0], old_shown
    )
    for docname in new_catalog.published - recheck:
        assert old_shown[docname] == expected[docname], docname
