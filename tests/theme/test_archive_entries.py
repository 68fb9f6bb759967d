"""ablog archive entries rendered in Python (portal_theme/entries.py): markup, labels, escaping."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from bs4 import BeautifulSoup

from zhiyuan.theme.portal.entries import EntryView, entry_view, render_catalog_item, render_entry

LABELS = {"draft": "草稿", "update": "更新", "author": "作者", "location": "地点", "language": "语言",
          "category": "分类", "tag": "标签", "tags": "标签们", "more": "阅读全文"}


class _Collection(list):
    def __init__(self, name, docname, posts=1):
        super().__init__([None] * posts)
        self.name, self.docname = name, docname


def _post(**fields):
    date = dt.datetime(2025, 3, 1)
    defaults = dict(docname="posts/2025/p", title="标题", date=date, update=date, published=True, section=None,
                    external_link=None, author=[], location=[], language=[], category=[], tags=[])
    return SimpleNamespace(**{**defaults, **fields})


def _render(post, summary="摘要"):
    html = render_entry(entry_view(post, summary), pathto=lambda doc: f"../{doc}.html", labels=LABELS,
                        date_format="%Y-%m-%d")
    return BeautifulSoup(str(html), "html.parser")


def test_entry_has_title_date_cards_excerpt_and_link():
    page = _render(_post(category=[_Collection("Python", "blog/category/python")],
                         tags=[_Collection("a", "blog/tag/a"), _Collection("b", "blog/tag/b")]))
    title = page.select_one("div.ablog-post h2.ablog-post-title a")
    assert (title.get_text(), title["href"]) == ("标题", "../posts/2025/p.html")
    assert page.select_one("ul.ablog__postcard2 time")["datetime"] == "2025-03-01"
    assert page.select_one("li.ablog__category").get_text() == "分类: Python"
    assert [a["href"] for a in page.select("li.ablog__tags a")] == ["../blog/tag/a.html", "../blog/tag/b.html"]
    assert page.select_one("li.ablog__tags").get_text().startswith("标签们: ")
    assert page.select_one("p.ablog-post-excerpt").get_text() == "摘要"
    assert page.select_one("p.ablog-post-expand a")["href"] == "../posts/2025/p.html"


def test_one_tag_updates_drafts_and_empty_excerpts():
    updated = _post(update=dt.datetime(2025, 4, 2), tags=[_Collection("a", "blog/tag/a")])
    page = _render(updated, summary="")
    assert page.select_one("li.ablog__updated").get_text() == "更新: 2025-04-02"
    assert page.select_one("li.ablog__tags").get_text() == "标签: a"
    assert page.select_one("p.ablog-post-excerpt") is None
    assert _render(_post(date=None, published=False)).select_one("ul.ablog__postcard2 li").get_text() == "草稿"


def test_everything_from_an_article_is_escaped():
    hostile = '<script>alert("x")</script>'
    page = _render(_post(title=hostile, category=[_Collection(hostile, "blog/category/x")],
                         external_link='https://example.org/?a=1&b="2"'), summary=hostile)
    assert page.select("script") == []
    assert page.select_one("h2 a").get_text() == hostile
    assert page.select_one("h2 a")["href"] == 'https://example.org/?a=1&b="2"'
    assert page.select_one("li.ablog__category a").get_text() == hostile
    assert page.select_one("p.ablog-post-excerpt").get_text() == hostile


def test_an_empty_collection_is_named_without_a_link():
    page = _render(_post(author=[_Collection("编辑部", "blog/author/x", posts=0)]))
    assert page.select_one("li.ablog__author").get_text() == "作者: 编辑部"
    assert page.select_one("li.ablog__author a") is None


def _catalog_item(post):
    html = render_catalog_item(entry_view(post), pathto=lambda doc: f"../{doc}.html", labels=LABELS, date_format="%Y/%m/%d")
    return BeautifulSoup(str(html), "html.parser")


def test_catalog_item_is_date_and_linked_title():
    item = _catalog_item(_post(section="part-2")).select_one("li.ablog__catalog_post")
    assert item.select_one("time")["datetime"] == "2025-03-01"
    assert item.get_text() == "2025/03/01 - 标题"
    assert item.select_one("a")["href"] == "../posts/2025/p.html#part-2"
    assert _catalog_item(_post(date=None, published=False)).get_text().startswith("草稿 - ")


def test_catalog_item_escapes_the_title_and_link():
    hostile = '<img src=x onerror="alert(1)">'
    item = _catalog_item(_post(title=hostile, external_link='https://example.org/?a=1&b="2"'))
    assert item.select("img") == []
    assert item.select_one("a").get_text() == hostile
    assert item.select_one("a")["href"] == 'https://example.org/?a=1&b="2"'


# -- entry lists kept between builds (portal_theme/entries_cache.py) ----------


def _digest(posts, summaries=None, pagename="blog/tag/a", labels=LABELS, kind="entry", folder="blog/tag"):
    from zhiyuan.theme.portal.entries_cache import entry_digests

    views = [entry_view(post, summary) for post, summary in zip(posts, summaries or ["摘要"] * len(posts))]
    return tuple(entry_digests(kind, folder, pagename, views, labels, "%Y-%m-%d"))


def test_entries_digest_follows_everything_an_entry_shows():
    base = _post(category=[_Collection("Python", "blog/category/python")], tags=[_Collection("a", "blog/tag/a")])
    reference = _digest([base])
    assert _digest([_post(category=base.category, tags=base.tags)]) == reference
    changed = [
        _digest([_post(title="新标题", category=base.category, tags=base.tags)]),
        _digest([_post(date=dt.datetime(2025, 3, 2), category=base.category, tags=base.tags)]),
        _digest([_post(category=base.category, tags=[_Collection("b", "blog/tag/b")])]),
        _digest([_post(category=base.category, tags=[_Collection("a", "blog/tag/a", posts=0)])]),
        _digest([_post(category=base.category, tags=base.tags, external_link="https://example.org/")]),
        _digest([base], summaries=["另一段摘要"]),
        _digest([base], pagename="blog/tag/b"),
        _digest([base], labels={**LABELS, "more": "更多"}),
        _digest([base, base]),
        _digest([base], folder="blog"),  # links relative to another folder
        _digest([base], kind="catalog"),
    ]
    assert reference not in changed
    assert len(set(changed)) == len(changed)


def test_an_entry_is_shared_by_the_pages_of_a_folder_unless_it_links_to_the_page():
    from zhiyuan.theme.portal.entries_cache import entry_digests

    def digest(post, pagename):
        return entry_digests("entry", "blog/tag", pagename, [entry_view(post, "摘要")], LABELS, "%Y-%m-%d")[0]

    tagged = _post(tags=[_Collection("a", "blog/tag/a")])  # its entry links to blog/tag/a as "#" there
    assert digest(tagged, "blog/tag/a") != digest(tagged, "blog/tag/b")
    assert digest(tagged, "blog/tag/b") == digest(tagged, "blog/tag/c")


def test_entries_cache_reuses_an_entry_only_under_its_digest_and_in_its_slot(tmp_path):
    from zhiyuan.theme.portal.entries_cache import EntriesCache

    rendered = []

    def render(text):
        return lambda: rendered.append(text) or text

    first = EntriesCache(tmp_path / "entries")
    assert first.entry(("entry", "blog", "posts/a", "posts/a", None), "d1", render("甲")) == "甲"
    first.save()
    again = EntriesCache(tmp_path / "entries")  # the next build
    assert again.entry(("entry", "blog", "posts/a", "posts/a", None), "d1", render("不该渲染")) == "甲"
    assert again.entry(("entry", "blog/tag", "posts/a", "posts/a", None), "d1", render("乙")) == "乙"
    assert again.entry(("entry", "blog", "posts/a", "posts/a", None), "d2", render("丙")) == "丙"
    assert rendered == ["甲", "乙", "丙"]


def test_entries_cache_writes_only_the_files_of_posts_whose_entries_were_rendered(tmp_path):
    from zhiyuan.theme.portal.entries_cache import EntriesCache

    first = EntriesCache(tmp_path / "entries")
    for post in ("posts/a", "posts/b"):
        first.entry(("entry", "blog", "", post, None), "d1", lambda: "旧")
    first.save()
    files = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "entries").iterdir()}
    assert len(files) == 2

    again = EntriesCache(tmp_path / "entries")
    again.entry(("entry", "blog", "", "posts/a", None), "d1", lambda: "不该渲染")
    again.entry(("entry", "blog", "", "posts/b", None), "d2", lambda: "新")  # retitled
    again.save()
    after = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "entries").iterdir()}
    assert sum(after[name] != files[name] for name in files) == 1


def test_a_cache_file_of_another_format_is_no_cache(tmp_path):
    import pickle

    from zhiyuan.theme.portal.entries_cache import EntriesCache

    cache = EntriesCache(tmp_path / "entries")
    key = ("entry", "blog", "", "posts/a", None)
    cache._file("posts/a").parent.mkdir(parents=True)
    cache._file("posts/a").write_bytes(pickle.dumps({key: ("d1", "旧格式".encode())}))
    assert cache.entry(key, "d1", lambda: "新") == "新"


def test_the_digest_follows_every_field_the_renderers_read():
    """The renderers read a post only through its EntryView, and the digest covers the whole view: a change
    to any field changes the digest, so a kept entry cannot outlive what it shows."""
    import dataclasses

    from zhiyuan.theme.portal.entries import Named
    from zhiyuan.theme.portal.entries_cache import entry_digests

    view = entry_view(_post(tags=[_Collection("a", "blog/tag/a")]), "摘要")
    others = {
        "docname": "posts/2025/q", "section": "s", "external_link": "https://example.org/", "title": "另一个",
        "date": dt.datetime(2025, 3, 2), "update": dt.datetime(2025, 3, 3), "published": False,
        "collections": ((Named("x", "blog/author/x", True),), (), (), (), ()), "summary": "另一段",
    }
    assert set(others) == {field.name for field in dataclasses.fields(EntryView)}
    reference = entry_digests("entry", "blog", "blog", [view], LABELS, "%Y-%m-%d")
    for name, value in others.items():
        changed = dataclasses.replace(view, **{name: value})
        assert entry_digests("entry", "blog", "blog", [changed], LABELS, "%Y-%m-%d") != reference, name
