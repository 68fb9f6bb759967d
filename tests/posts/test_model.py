"""One Post record per post, made when it is read (_ext/zhiyuan/posts/model.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiyuan.posts.model import Post, post_records, published_posts


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("model", freshenv=True)


def test_only_dated_documents_matching_the_pattern_are_posts(app):
    assert sorted(post_records(app.env)) == ["posts/2025/bad-series", "posts/2025/full", "posts/2025/plain"]


def test_a_series_name_without_letters_is_a_warning_naming_the_file_and_the_post_leaves_the_series(app):
    warnings = app.warning.getvalue()
    assert "bad-series.md" in warnings and "[post_extras.series]" in warnings
    assert warnings.count("WARNING") == 1
    assert post_records(app.env)["posts/2025/bad-series"].series is None


def test_the_record_holds_every_field_the_site_shows(app):
    post = post_records(app.env)["posts/2025/full"]
    assert isinstance(post, Post)
    assert (post.title, post.date, post.time) == ("完整的文章", dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 8, 30))
    assert post.categories == ("Large Model",)
    assert post.tags == ("注意力", "KV cache")
    assert post.authors == ("alice", "bob")
    assert post.series == "demo"
    assert post.excerpt_override == "作者自己写的摘要"
    assert post.tokens and post.stats.code_lines == 1 and post.stats.display_math == 1
    with pytest.raises(AttributeError):
        post.title = "changed"  # immutable


def test_a_plain_post_has_empty_lists_and_no_time(app):
    post = post_records(app.env)["posts/2025/plain"]
    assert (post.categories, post.tags, post.authors, post.series, post.excerpt_override) == ((), (), (), None, None)
    assert post.time == dt.datetime(2025, 1, 2)


def test_published_posts_are_newest_first(app):
    assert [p.docname for p in published_posts(app.env)] == [
        "posts/2025/full", "posts/2025/bad-series", "posts/2025/plain"]
    assert [p.docname for p in published_posts(app.env, "Large Model")] == ["posts/2025/full"]
