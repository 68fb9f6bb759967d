"""Rendered excerpts kept between builds (latest_updates/excerpt_cache.py)."""

from __future__ import annotations

from zhiyuan.pages.latest_updates.excerpt_cache import ExcerptCache


def test_an_excerpt_is_rendered_once_and_kept_for_the_next_build(tmp_path):
    path = tmp_path / "excerpts.pickle"
    rendered = []

    def render(text):
        return lambda: rendered.append(text) or text

    first = ExcerptCache(path)
    assert first.get("a", render("甲")) == "甲"
    assert first.get("a", render("不应渲染")) == "甲"
    first.save(lambda: ["a"])
    second = ExcerptCache(path)
    assert second.get("a", render("不应渲染")) == "甲"
    assert rendered == ["甲"]


def test_saving_keeps_only_the_entries_of_current_posts(tmp_path):
    path = tmp_path / "excerpts.pickle"
    cache = ExcerptCache(path)
    for key in ("old", "kept", "new"):
        cache.get(key, lambda key=key: key)
    cache.save(lambda: ["kept", "new"])
    again = ExcerptCache(path)
    assert again.get("old", lambda: "渲染了") == "渲染了"
    assert again.get("kept", lambda: "渲染了") == "kept"


def test_nothing_is_written_when_nothing_was_rendered(tmp_path):
    path = tmp_path / "excerpts.pickle"
    ExcerptCache(path).save(lambda: ["a"])
    assert not path.exists()
    cache = ExcerptCache(path)
    cache.get("a", lambda: "甲")
    cache.save(lambda: ["a"])
    written = path.stat().st_mtime_ns
    reader = ExcerptCache(path)
    reader.get("a", lambda: "乙")
    reader.save(lambda: ["a"])
    assert path.stat().st_mtime_ns == written


def test_a_damaged_file_is_an_empty_cache(tmp_path):
    path = tmp_path / "excerpts.pickle"
    path.write_bytes(b"not a pickle")
    assert ExcerptCache(path).get("a", lambda: "甲") == "甲"
