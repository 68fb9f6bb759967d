"""The LATEST UPDATES index on a small site: contract, order, pages, filter, drafts, excerpts."""

from __future__ import annotations

import pytest

from helpers import resolve, soup

# date desc, then title, then path; the 2099 post is a draft
ORDER = ["posts/2025/alpha", "posts/2025/beta", "posts/2025/gamma", "posts/2024/delta", "posts/2024/epsilon"]


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("latest")


def _page_files(app, docname="index"):
    files = [app.outdir / f"{docname}.html"]
    number = 2
    while (app.outdir / f"{docname}-page-{number}.html").exists():
        files.append(app.outdir / f"{docname}-page-{number}.html")
        number += 1
    return files


def _entries(app, docname="index"):
    """(docname, entry element) for every entry on every page of the index."""
    found = []
    for path in _page_files(app, docname):
        for article in soup(path).select("section.latest-updates > article.latest-update"):
            href = article.select_one("a.latest-update-title")["href"]
            target = resolve(path, href).relative_to(app.outdir.resolve()).with_suffix("")
            found.append((target.as_posix(), article))
    return found


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_html_contract(app):
    page = soup(app.outdir / "index.html")
    section = page.select_one("section.latest-updates")
    assert section is not None
    for article in section.select("article.latest-update"):
        assert len(article.select("a.latest-update-title[href]")) == 1
        assert article.select("a.latest-update-category[href]")
        time = article.select_one("time.latest-update-date")
        assert time["datetime"] == time.get_text()
        assert len(time["datetime"]) == 10
        assert article.select_one("p.latest-update-excerpt") is not None
    assert page.select_one("nav.latest-updates-pager") is not None


def test_order_and_pagination_reach_every_published_post(app):
    assert [doc for doc, _ in _entries(app)] == ORDER
    pages = _page_files(app)
    assert len(pages) == 3
    assert [len(soup(p).select("article.latest-update")) for p in pages] == [2, 2, 1]


def test_entry_headings_are_one_level_below_their_section(app):
    # page 1: the directive is under "## LATEST UPDATES"; pages 2…n: under their <h1>
    levels = [
        {h.name for h in soup(path).select("article.latest-update > :is(h2, h3, h4)")}
        for path in _page_files(app)
    ]
    assert levels == [{"h3"}, {"h2"}, {"h2"}]


def test_pager_links_carry_rel_prev_and_next(app):
    pages = _page_files(app)
    for number, path in enumerate(pages):
        pager = soup(path).select_one("nav.latest-updates-pager")
        prev, nxt = pager.select_one('a[rel="prev"]'), pager.select_one('a[rel="next"]')
        if number == 0:
            assert prev is None
        else:
            assert resolve(path, prev["href"]) == pages[number - 1].resolve()
        if number == len(pages) - 1:
            assert nxt is None
        else:
            assert resolve(path, nxt["href"]) == pages[number + 1].resolve()


def test_category_links_point_at_ablog_archives(app):
    entries = dict(_entries(app))
    links = entries["posts/2025/gamma"].select("a.latest-update-category")
    assert [a.get_text() for a in links] == ["Machine Learning", "Python"]
    index = app.outdir / "index.html"
    for a in soup(index).select("a.latest-update-category"):
        assert resolve(index, a["href"]).is_file()


def test_category_filter(app):
    docs = [doc for doc, _ in _entries(app, "topics/ml")]
    assert docs == ["posts/2025/alpha", "posts/2025/gamma"]


def test_drafts_never_appear(app):
    for path in app.outdir.rglob("*.html"):
        assert "未来的草稿" not in path.read_text(encoding="utf-8")


def test_excerpt_rules_in_the_rendered_index(app):
    entries = {doc: a.select_one("p.latest-update-excerpt").get_text() for doc, a in _entries(app)}
    alpha = entries["posts/2025/alpha"]
    assert alpha.startswith("同一天发表的两篇文章按标题排序，这是 Alpha。正文里有代码： [代码] 还有公式 [Math]")
    assert alpha.endswith("...")
    assert "Alpha 同日文章" not in alpha
    # implicit reference text is the target's title
    assert entries["posts/2024/delta"] == "本文接着 Alpha 同日文章 往下讲。"
    # a front-matter excerpt wins, whole and uncut
    assert entries["posts/2025/gamma"].startswith("这是作者手写的摘要 <em>不会</em>")
    assert not entries["posts/2025/gamma"].endswith("...")


def test_hostile_prose_is_text(app):
    entries = dict(_entries(app))
    beta = entries["posts/2025/beta"]
    excerpt = beta.select_one("p.latest-update-excerpt")
    assert "<script>alert(1)</script>" in excerpt.get_text()
    assert excerpt.select("script, b") == []
    assert not beta.select("[onmouseover]")


def test_meta_description_is_the_excerpt_unless_the_post_sets_one(app):
    entries = {doc: a.select_one("p.latest-update-excerpt").get_text() for doc, a in _entries(app)}
    for doc in ("posts/2025/alpha", "posts/2025/beta"):
        metas = soup(app.outdir / f"{doc}.html").select('meta[name="description"]')
        assert [m["content"] for m in metas] == [entries[doc]]
    metas = soup(app.outdir / "posts/2024/epsilon.html").select('meta[name="description"]')
    assert [m["content"] for m in metas] == ["作者自己写的描述"]


def test_archive_groups_posts_by_year_and_month_with_counts(app):
    page = soup(app.outdir / "archive.html")
    years = page.select("section.post-archive > section.post-archive-year")
    # the directive sits right under the page's <h1>: years are <h2>, months <h3>
    assert [y.select_one("h2").get_text() for y in years] == ["2025 年 （3 篇）", "2024 年 （2 篇）"]
    months = [m.select_one("h3").get_text() for m in page.select("section.post-archive-month")]
    assert months == ["2025 年 6 月 （2 篇）", "2025 年 3 月 （1 篇）", "2024 年 12 月 （1 篇）", "2024 年 1 月 （1 篇）"]
    titles = [a.get_text() for a in page.select("a.post-archive-title")]
    assert titles == ["Alpha 同日文章", "Beta 同日文章", "Gamma 多分类文章", "Delta 引用文章", "Epsilon 最早的文章"]
    assert "未来的草稿" not in page.get_text()
