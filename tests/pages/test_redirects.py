"""A post's old addresses (ablog's ``redirect:``): written as pages of the old paths that send
readers on, with no script, marked noindex, escaped, out of the sitemap; entries that cannot be
a page, or would replace one, refused with a warning naming file and line."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from zhiyuan.pages.redirects import RedirectError, page_name

from helpers import build, resolve, soup

TITLE = '搬家 </title><script>alert(1)</script> 与 "引号" & 更多'
OLD = {
    "2019/01/15/moved/index.html": "posts/2025/moved.html",
    "python/2020/11/12/moved.html": "posts/2025/moved.html",
    "old-name.html": "posts/2025/moved.html",
    "旧地址/index.html": "posts/2025/moved.html",
    "blog/2019/05/06/moved.html": "posts/2025/moved.html",
    "notes/listed/index.html": "posts/2025/listed.html",
    "notes/listed.html": "posts/2025/listed.html",
}


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("redirects")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


@pytest.mark.parametrize(("old", "new"), sorted(OLD.items()))
def test_each_old_address_sends_readers_to_the_post(app, old, new):
    path = Path(app.outdir) / old
    page = soup(path)
    refresh = page.select_one('meta[http-equiv="refresh"]')["content"]
    delay, url = refresh.split("; url=")
    assert delay == "0" and resolve(path, url) == (Path(app.outdir) / new).resolve()
    assert resolve(path, page.select_one("main a")["href"]) == (Path(app.outdir) / new).resolve()
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('link[rel="canonical"]')["href"] == f"https://example.org/zh-cn/latest/{new}"
    assert page.select_one("html")["lang"] == "zh-CN"


def test_the_redirect_page_runs_nothing_and_escapes_the_title(app):
    path = Path(app.outdir) / "old-name.html"
    page = soup(path)
    assert not page.select("script, style, [style], [onload], iframe")
    assert page.select_one("h1").get_text() == TITLE
    assert page.select_one("title").get_text() == f"{TITLE} — 测试站 文档"  # html_title
    assert "<script>alert" not in path.read_text(encoding="utf-8")
    assert page.select_one("main p").get_text().startswith("本文已迁移到新地址：")


def test_redirect_pages_stay_out_of_the_sitemap(app):
    root = ET.parse(Path(app.outdir) / "sitemap.xml").getroot()
    locs = {unquote(loc.text) for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://example.org/zh-cn/latest/posts/2025/moved.html" in locs
    assert not {f"https://example.org/zh-cn/latest/{old}" for old in OLD} & locs


@pytest.mark.parametrize(("entry", "name"), [
    ("/2019/01/15/bi-bao/", "2019/01/15/bi-bao/index"),
    ("/python/2020/11/12/x.html", "python/2020/11/12/x"),
    ("/notes/x.htm", "notes/x"),
    ("notes/old", "notes/old"),
    ("/2019/01/15/bi-bao/index.html", "2019/01/15/bi-bao/index"),
    ("/%E9%97%AD%E5%8C%85/", "闭包/index"),
    ("/posts/中文/", "posts/中文/index"),
])
def test_page_names_from_old_addresses(entry, name):
    assert page_name(entry) == name


@pytest.mark.parametrize("entry", [
    "../../etc/passwd", "/a/../b", "/a//b", "https://old.example.com/x/", "//old.example.com/x/", "/x?page=2",
    "/x#part", "/", "", "/_static/x.html", "/a\\b", "/.html",
])
def test_what_cannot_be_a_page_is_refused(entry):
    with pytest.raises(RedirectError):
        page_name(entry)


def test_bad_entries_are_warnings_naming_file_and_line_and_are_left_out(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-redirects", src)
    (src / "posts/2025/bad.md").write_text(
        "---\ndate: 2025-04-01\ncategory: Python\ntags: python\n"
        "redirect: ../../outside, /about.html, /blog/category/python.html, /blog/2025.html, /search.html, "
        "https://old.example.com/x/, /notes/listed/, /still-fine/\n---\n\n# 坏的旧地址\n\n正文。\n",
        encoding="utf-8")
    app = build(src)
    warnings = app.warning.getvalue()
    where = f"{src / 'posts/2025/bad.md'}:5: WARNING: "
    for message in (
        "redirect '../../outside' has an empty, '.' or '..' part; give the path from the site's root",
        "redirect '/about.html' would replace the page 'about' of the site; left out",
        "redirect '/blog/category/python.html' would replace ablog's archive page 'blog/category/python'; left out",
        "redirect '/blog/2025.html' would replace ablog's archive page 'blog/2025'; left out",
        "redirect '/search.html' would replace Sphinx's page 'search'; left out",
        "redirect 'https://old.example.com/x/' is another site's address; give the path on this site (e.g. /2020/01/post/)",
    ):
        assert f"{where}{message} [redirects.invalid]" in warnings, message
    assert ("WARNING: redirect 'notes/listed/index' is claimed by posts/2025/bad too; one page cannot send readers "
            "to both [redirects.duplicate]") in warnings
    assert warnings.count("WARNING") == 7
    assert not (tmp_path / "outside.html").exists() and not (src / "outside.html").exists()
    assert soup(Path(app.outdir) / "about.html").select_one("h1").get_text().rstrip("¶") == "关于"
    assert (Path(app.outdir) / "still-fine/index.html").is_file()


def test_an_incremental_build_follows_a_changed_list(rootdir, tmp_path):
    """A redirect added, one removed: the next build writes the new page and deletes the old one,
    as a clean build would have them."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-redirects", src)
    first = build(src, freshenv=True)
    assert (Path(first.outdir) / "notes/listed/index.html").is_file()
    post = src / "posts/2025/listed.md"
    post.write_text(post.read_text(encoding="utf-8").replace("  - /notes/listed/\n", "  - /notes/moved-again/\n"),
                    encoding="utf-8")
    second = build(src)
    assert second.warning.getvalue() == ""
    assert not (Path(second.outdir) / "notes/listed/index.html").exists()
    page = soup(Path(second.outdir) / "notes/moved-again/index.html")
    assert resolve(Path(second.outdir) / "notes/moved-again/index.html",
                   page.select_one("main a")["href"]) == (Path(second.outdir) / "posts/2025/listed.html").resolve()
