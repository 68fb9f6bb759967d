"""ablog on our stack: listing, archives, drafts, list-form front matter, feeds, Chinese UI."""

from __future__ import annotations

import shutil

import feedparser
import pytest

from helpers import build, resolve, soup

PUBLISHED = {
    "posts/2025/gradient-descent": ("Machine Learning",),
    "posts/2025/rl-intro": ("Reinforcement Learning", "Machine Learning"),
    "posts/2024/python-closures": ("Python",),
}
DRAFTS = ["posts/2025/undated-draft", "posts/2099/future-post"]


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("blog")


def _linked_docs(app, page: str) -> set[str]:
    path = app.outdir / f"{page}.html"
    links = set()
    for a in soup(path).select("article a[href], .bd-article a[href], main a[href]"):
        href = a["href"]
        if href.startswith(("http:", "https:", "#")):
            continue
        target = resolve(path, href)
        try:
            links.add(target.relative_to(app.outdir.resolve()).with_suffix("").as_posix())
        except ValueError:
            pass
    return links


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_each_post_linked_from_listing_category_tag_and_year_pages(app):
    for docname, categories in PUBLISHED.items():
        assert (app.outdir / f"{docname}.html").is_file()
        year = docname.split("/")[1]
        pages = ["blog", f"blog/{year}"]
        pages += [f"blog/category/{c.lower().replace(' ', '-')}" for c in categories]
        post = app.env.ablog_posts[docname][0]
        pages += [f"blog/tag/{t}" for t in post["tags"]]
        for page in pages:
            assert docname in _linked_docs(app, page), f"{docname} not linked from {page}"


def test_archive_entries_link_from_the_page_they_are_on(app):
    """An entry's links are relative to the page it is on; a link to that page itself is "#"."""
    def tag_links(page):
        entry = next(e for e in soup(app.outdir / f"{page}.html").select("div.ablog-post")
                     if e.select_one("h2 a").get_text() == "强化学习的基本概念")
        return [a["href"] for a in entry.select("li.ablog__tags a")]

    assert tag_links("blog/tag/math") == ["reinforcement-learning.html", "#"]
    assert tag_links("blog/tag/reinforcement-learning") == ["#", "math.html"]
    assert tag_links("blog") == ["blog/tag/reinforcement-learning.html", "blog/tag/math.html"]


def test_list_form_category_and_tags_are_split_cleanly(app):
    post = app.env.ablog_posts["posts/2025/rl-intro"][0]
    assert post["category"] == ["Reinforcement Learning", "Machine Learning"]
    assert post["tags"] == ["reinforcement-learning", "math"]
    names = [a.get_text(strip=True) for a in soup(app.outdir / "blog/category.html").select("h2 a")]
    assert sorted(names) == ["Machine Learning", "Python", "Reinforcement Learning"]


def test_date_with_time_zone_is_converted_to_site_time(app):
    date = app.env.ablog_posts["posts/2025/rl-intro"][0]["date"]
    assert (date.year, date.month, date.day, date.hour, date.minute) == (2025, 5, 10, 9, 30)
    assert date.tzinfo is None


def test_drafts_appear_nowhere(app):
    for docname in DRAFTS:
        assert not (app.outdir / f"{docname}.html").exists()
    for html in app.outdir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "未完成的草稿" not in text and "来自未来的文章" not in text, html
        assert "secret-tag" not in text, html
    for feed in app.outdir.rglob("*.xml"):
        assert "来自未来的文章" not in feed.read_text(encoding="utf-8"), feed


def test_drafts_are_reported_once_in_the_log(app):
    log = app.status.getvalue()
    assert log.count("not published") == 1
    assert "posts/2025/undated-draft" in log and "posts/2099/future-post" in log


def test_site_feed_parses_and_lists_published_posts_with_absolute_links(app):
    feed = feedparser.parse((app.outdir / "blog/atom.xml").read_bytes())
    assert feed.bozo == 0
    links = sorted(entry.link for entry in feed.entries)
    assert links == sorted(f"https://example.org/site/{d}.html" for d in PUBLISHED)
    for link in [feed.feed.link, *(l.href for l in feed.feed.links)]:
        assert link.startswith("https://example.org/site/")


def test_each_category_has_a_feed_with_its_posts(app):
    expected = {}
    for docname, categories in PUBLISHED.items():
        for category in categories:
            expected.setdefault(category.lower().replace(" ", "-"), set()).add(docname)
    for slug, docnames in expected.items():
        feed = feedparser.parse((app.outdir / f"blog/category/{slug}/atom.xml").read_bytes())
        assert feed.bozo == 0
        assert {e.link for e in feed.entries} == {f"https://example.org/site/{d}.html" for d in docnames}
        assert all(e.link.startswith("https://") for e in feed.entries)


def test_ablog_labels_are_chinese(app):
    page = soup(app.outdir / "posts/2025/gradient-descent.html")
    headings = [h.get_text(strip=True) for h in page.select(".ablog-sidebar-item h3")]
    assert headings == ["最新文章", "分类", "标签", "归档"]
    postcard = page.select_one(".ablog__postcard2").get_text(" ", strip=True)
    assert "作者" in postcard and "分类" in postcard and "标签" in postcard
    assert soup(app.outdir / "blog.html").select_one(".ablog-post-expand").get_text(strip=True) == "阅读全文…"


def test_categories_and_tag_counts_follow_the_sites_rules(build_root):
    """A category outside post_frontmatter_categories and too many tags are warnings naming
    the file and line; the list form (rl-intro) is checked item by item."""
    app = build_root("blog", freshenv=True, confoverrides={
        "post_frontmatter_categories": ["Machine Learning", "Python"], "post_frontmatter_max_tags": 1})
    warnings = app.warning.getvalue()
    assert warnings.count("[post_frontmatter.category]") == 1
    assert "rl-intro.md:3: WARNING: category 'Reinforcement Learning' is not one of the site's categories" \
           " (Machine Learning, Python)" in warnings
    assert warnings.count("[post_frontmatter.tags]") == 2  # gradient-descent and rl-intro have two
    assert "gradient-descent.md:4: WARNING: 2 tags; a post has at most 1" in warnings


def test_a_post_without_the_fewest_tags_is_a_warning_naming_the_file(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-blog", src)
    (src / "posts/2025/untagged.md").write_text("---\ndate: 2025-02-02\ncategory: Python\n---\n\n# 无标签\n\n正文。\n",
                                              encoding="utf-8")
    app = build(src, freshenv=True, confoverrides={"post_frontmatter_min_tags": 1})
    warnings = app.warning.getvalue()
    assert warnings.count("[post_frontmatter.tags]") == 1
    assert "untagged.md:1: WARNING: 0 tags; a post has at least 1 (post_frontmatter_min_tags in conf.py)" in warnings


def test_the_sites_rules_pass_by_default(app):
    assert "post_frontmatter.category" not in app.warning.getvalue()
    assert "post_frontmatter.tags" not in app.warning.getvalue()


def test_a_list_item_ablog_cannot_keep_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    import shutil

    from helpers import build

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-blog", src)
    (src / "posts" / "2025" / "comma.md").write_text(
        "---\ndate: 2025-06-01\ncategory: Python\ntags: [\"a,b\", c]\n---\n\n# 逗号\n\n正文。\n", encoding="utf-8")
    warnings = build(src, freshenv=True).warning.getvalue()
    assert "comma.md:4: WARNING: front matter field 'tags': list item 'a,b' contains a comma" in warnings
