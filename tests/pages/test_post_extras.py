"""Every post shows date, category, tags, author, reading time; series and related posts."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from zhiyuan.posts.model import post_records
from zhiyuan.posts.reading_time import ReadingStats

from helpers import build, resolve, search_index, soup


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("post-extras")


def _post(app, slug):
    return soup(app.outdir / f"posts/2025/{slug}.html")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_reading_time_counts_chinese_words_code_and_formulas(app):
    # 400 + 2 CJK characters, 100 words + the title "series-1", 30 code lines, 2 + 5 formulas
    assert post_records(app.env)["posts/2025/series-1"].stats == ReadingStats(
        cjk=402, words=101, code_lines=30, display_math=2, inline_math=5
    )
    reading = _post(app, "series-1").select_one(".post-extras .post-reading-time")
    assert reading["data-minutes"] == "4"
    assert reading.get_text() == "阅读约 4 分钟"


def test_meta_line_under_the_title(app):
    page = _post(app, "series-1")
    h1 = page.select_one("h1")
    extras = h1.find_next_sibling()
    assert "post-extras" in extras["class"]
    assert extras.select_one("time.post-date")["datetime"] == "2025-01-01"
    assert [a.get_text() for a in extras.select("a.post-category")] == ["Cat"]
    assert [a.get_text() for a in extras.select("a.post-tag")] == ["#a", "#b", "#c"]
    assert extras.select_one(".post-author").get_text() == "编辑部"
    path = app.outdir / "posts/2025/series-1.html"
    for link in extras.select("a.post-category, a.post-tag"):
        assert resolve(path, link["href"]).is_file(), link["href"]


def test_every_published_post_has_extras_and_drafts_none(app):
    posts = sorted((app.outdir / "posts/2025").glob("*.html"))
    assert len(posts) == 8
    for path in posts:
        assert soup(path).select_one(".post-extras .post-reading-time"), path
    assert not (app.outdir / "posts/2099").exists()
    assert not soup(app.outdir / "index.html").select(".post-extras")


def test_related_posts_by_shared_tags_and_category(app):
    page = _post(app, "series-1")
    related = [a["href"] for a in page.select(".post-related a.post-related-link")]
    # score 4 (3 tags + category); 2 (newest first); 1 (newest first); p-cat (1, oldest) cut at 5
    assert related == ["p-abc.html", "p-ab.html", "series-2.html", "p-c.html", "series-3.html"]


def test_a_post_sharing_only_its_category(app):
    related = [a["href"] for a in _post(app, "p-none").select(".post-related a.post-related-link")]
    assert related == ["p-c.html", "p-ab.html"]  # both score 1 (category Other); newest first


def test_related_list_is_at_most_five_and_never_the_post_itself(app):
    for path in sorted((app.outdir / "posts/2025").glob("*.html")):
        links = [a["href"] for a in soup(path).select(".post-related a.post-related-link")]
        assert len(links) <= 5
        assert path.name not in links


def test_series_position_and_links(app):
    for position, slug in enumerate(["series-1", "series-2", "series-3"], start=1):
        nav = _post(app, slug).select_one("nav.post-series")
        assert nav.select_one(".post-series-position").get_text() == f"「演示 <系列> & 测试」系列第 {position} 篇，共 3 篇"
        items = nav.select("ol.post-series-list > li")
        assert [li.get_text() for li in items] == ["series-1", "series-2", "series-3"]
        assert items[position - 1]["aria-current"] == "page"
        assert not items[position - 1].select("a")
        assert len(nav.select("ol a")) == 2
    assert not _post(app, "p-abc").select("nav.post-series")


def test_series_overview_page(app):
    page = soup(app.outdir / "series/demo.html")
    assert page.select_one(".series-overview h1").get_text() == "系列：演示 <系列> & 测试"
    assert page.select_one(".series-count").get_text() == "共 3 篇，建议按顺序阅读。"
    entries = page.select(".series-entries a.series-entry-title")
    assert [a.get_text() for a in entries] == ["series-1", "series-2", "series-3"]
    assert page.select_one(".series-entry-excerpt").get_text().startswith("中文中文")
    link = _post(app, "series-2").select_one("a.post-series-link")
    assert resolve(app.outdir / "posts/2025/series-2.html", link["href"]) == (app.outdir / "series/demo.html").resolve()


def test_hostile_series_name_is_escaped(app):
    page = _post(app, "p-none")
    assert not page.select(".post-series i")
    assert page.select_one(".post-series-link").get_text() == "<i>坏</i>"
    overview = sorted((app.outdir / "series").glob("*.html"))
    assert len(overview) == 2
    assert any(soup(p).select_one(".series-overview h1").get_text() == "系列：<i>坏</i>" for p in overview)
    for p in overview:
        assert not soup(p).select(".series-overview i")


def test_extras_stay_out_of_the_search_index(app):
    texts = json.dumps(search_index(app.outdir)["texts"], ensure_ascii=False)
    assert "相关文章" not in texts
    assert "阅读约" not in texts



def _extras_html(outdir: Path) -> dict[str, str]:
    return {
        path.name: "\n".join(str(el) for el in soup(path).select(".post-extras, .post-related"))
        for path in sorted((outdir / "posts/2025").glob("*.html"))
    }


# ablog is not parallel-safe (Sphinx would fall back to a serial read): leave it out here
_PARALLEL = {"extensions": ["myst_parser", "zhiyuan.pages.latest_updates", "zhiyuan.pages.post_extras"]}


def test_parallel_read_equals_serial(rootdir, tmp_path):
    serial_src, parallel_src = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(rootdir / "test-post-extras", serial_src)
    shutil.copytree(rootdir / "test-post-extras", parallel_src)
    serial = build(serial_src, freshenv=True, confoverrides=_PARALLEL)
    parallel = build(parallel_src, freshenv=True, parallel=2, confoverrides=_PARALLEL)
    assert serial.warning.getvalue() == ""
    assert parallel.warning.getvalue() == ""
    assert re.search(r"reading sources\.\.\. .*\S+ \.\. \S+", parallel.status.getvalue())
    # without post_frontmatter the 2099 draft is read too, but shown nowhere
    assert len(post_records(parallel.env)) == 9
    assert "共 3 篇" in _extras_html(parallel.outdir)["series-1.html"]
    assert _extras_html(parallel.outdir) == _extras_html(serial.outdir)
    assert "series-2.html" in _extras_html(parallel.outdir)["series-1.html"]


def test_a_new_post_updates_related_posts_and_series_of_the_others(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-post-extras", src)
    first = build(src)
    assert first.warning.getvalue() == ""
    (src / "posts/2025/series-4.md").write_text(
        "---\ndate: 2025-08-01\ncategory: Cat\ntags: a, b, c\nseries: demo\n---\n\n# series-4\n\n第四篇。\n",
        encoding="utf-8",
    )
    second = build(src)
    assert second.warning.getvalue() == ""
    page = soup(src / "_build/html/posts/2025/series-1.html")
    assert [a["href"] for a in page.select(".post-related a.post-related-link")][:2] == ["series-4.html", "p-abc.html"]
    assert page.select_one(".post-series-position").get_text().endswith("共 4 篇")


def test_the_licence_and_the_canonical_address_end_each_post(app):
    end = _post(app, "series-1").select_one("article p.post-licence, p.post-licence")
    licence = end.select_one('a[rel="license"]')
    assert licence.get_text() == "CC BY-SA 4.0"  # the site's (site_licence)
    assert licence["href"].startswith("https://creativecommons.org/licenses/by-sa/4.0/")
    assert end.select_one("a.post-canonical")["href"] == "https://example.org/posts/2025/series-1.html"
    # a post's own license: overrides the site's
    assert _post(app, "p-c").select_one('p.post-licence a[rel="license"]').get_text() == "CC BY 4.0"


def test_an_unknown_licence_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-post-extras", src)
    post = src / "posts/2025/p-c.md"
    post.write_text(post.read_text(encoding="utf-8").replace("license: CC BY 4.0", "license: WTFPL"), encoding="utf-8")
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert "p-c.md:5" in warnings and "license 'WTFPL' is not one the site knows" in warnings
    assert "[post_frontmatter.license]" in warnings
    # the site's licence applies instead
    assert soup(app.outdir / "posts/2025/p-c.html").select_one('p.post-licence a[rel="license"]').get_text() == "CC BY-SA 4.0"
