"""The related-posts ranking (post_extras._RelatedPosts) against a plain definition, on random sites."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from latest_updates import PostRecord
from post_extras import ExtraRecord, _RelatedPosts
from post_extras.reading_time import ReadingStats

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
    records, extras = {}, {}
    for number, (date, title, categories, tags) in enumerate(entries):
        docname = f"posts/p{number:02d}"
        records[docname] = PostRecord(docname, title, date, tuple(categories), ())
        extras[docname] = ExtraRecord(docname, ReadingStats(), tuple(tags), (), None)
    env = SimpleNamespace(latest_updates_posts=records, post_extras_records=extras)
    return env, sorted(records.values(), key=PostRecord.sort_key)


def _expected(env, published, docname, limit):
    """Score = shared distinct tags + 1 for any shared category; best first, then newest, title, path."""
    me, mine = env.latest_updates_posts[docname], env.post_extras_records[docname]
    scored = []
    for other in published:
        if other.docname == docname:
            continue
        theirs = env.post_extras_records[other.docname]
        score = len(set(mine.tags) & set(theirs.tags)) + bool(set(me.categories) & set(other.categories))
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
