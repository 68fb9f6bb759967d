"""Bad input in posts (issue #7): built correctly, or refused naming the file and line.

Legitimate oddities — a date with a time zone, a future draft, a byte-order mark,
CRLF line ends, posts that are only code, only math or only an image, a 1 MB
post, 2,000 headings, a 10,000-character line, raw HTML and template syntax in
the body, hostile text everywhere, `$` prices, two posts with one slug, category
and tag names ablog would give one URL — are built together in one site, which
must build without a single warning and show each of them where it belongs.

Broken input is built in small sites beside one good post: each problem must be
a warning naming the file and line and saying what is wrong (so ``-W`` fails the
build), never a traceback, and the good post must still be on the home index,
the archive and the feeds.

Every site goes through the real stack: MyST, ablog, KaTeX prerendering and our
extensions (generated in ``tmp_path`` from a dict of files).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from zhiyuan.pages.archive_slugs import archive_slug
from zhiyuan.posts.body import unclosed_fences
from zhiyuan.posts.frontmatter import FrontMatterError, read_front_matter, scan_post

from helpers import REPO, build, resolve, search_index, soup

BASE = "https://example.org/site/"
KATEX_ASSETS = REPO / "node_modules" / "katex" / "dist"

CONF = f"""
extensions = [
    "myst_parser", "ablog", "sphinxcontrib.katex", "zhiyuan.formulas.katex_ssr", "zhiyuan.posts.frontmatter", "zhiyuan.posts.body",
    "zhiyuan.theme.portal", "zhiyuan.pages.archive_slugs", "zhiyuan.pages.ablog_incremental", "zhiyuan.pages.ablog_labels", "zhiyuan.pages.latest_updates",
    "zhiyuan.pages.post_extras", "zhiyuan.pages.feeds", "zhiyuan.web.robots_txt", "zhiyuan.web.social_meta", "zhiyuan.search",
]
language = "zh_CN"
project = "测试站"
html_theme = THEME
html_baseurl = {BASE!r}
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"]
# as docs/conf.py
myst_title_to_header = True
myst_dmath_allow_space = False
myst_dmath_allow_digits = False
blog_path = "blog"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = html_baseurl
blog_feed_archives = True
blog_feed_titles = True
blog_authors = {{"editor": ("编辑部", None)}}
blog_default_author = "editor"
post_date_format = "%Y-%m-%d"
post_date_format_short = "%Y-%m-%d"
fontawesome_included = True
katex_prerender = True
katex_ssr_assets = {str(KATEX_ASSETS)!r}
latest_updates_per_page = 50
latest_updates_excerpt_length = 60
sitemap_url_scheme = "{{link}}"
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html", "blog/drafts.html"]
ogp_site_url = html_baseurl
ogp_social_cards = {{"enable": False}}
html_sidebars = {{
    "posts/**": ["ablog/postcard.html", "ablog/recentposts.html", "ablog/categories.html",
                 "ablog/tagcloud.html", "ablog/archives.html"],
    "blog/**": ["ablog/recentposts.html", "ablog/categories.html", "ablog/tagcloud.html",
                "ablog/archives.html"],
}}
"""

INDEX = "# 首页\n\n```{latest-updates}\n```\n\n```{toctree}\n:hidden:\n\narchive\n```\n"
ARCHIVE = "# 归档\n\n```{post-archive}\n```\n"
GOOD = "---\ndate: 2025-01-01\ncategory: Python\ntags: python\n---\n# 好邻居\n\n这篇文章一切正常。\n"
# a 1x1 GIF
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def make_site(root: Path, files: dict[str, str | bytes], theme: str = "basic") -> Path:
    """A site in *root*/src: our conf, a home page with the index, an archive page, *files*."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(f"THEME = {theme!r}\n{CONF}", encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    (src / "archive.md").write_text(ARCHIVE, encoding="utf-8")
    for name, content in {"posts/2025/good.md": GOOD, **files}.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return src


def _clean(log: str) -> str:
    """A build log without colour codes and the carriage returns of status lines."""
    return re.sub(r"\x1b\[[0-9;]*m", "", log).replace("\r", "\n")


def _post(date: str, title: str, body: str = "正文。", **fields: str) -> str:
    front = "".join(f"{key}: {value}\n" for key, value in {"date": date, **fields}.items())
    return f"---\n{front}---\n# {title}\n\n{body}\n"


# -- what is published where ---------------------------------------------------


def index_entries(outdir: Path) -> dict[str, dict[str, str]]:
    """``{docname: {title, date, excerpt}}`` of the home page's index."""
    entries = {}
    for article in soup(outdir / "index.html").select("section.latest-updates article.latest-update"):
        link = article.select_one("a.latest-update-title")
        docname = link["href"].removesuffix(".html")
        entries[docname] = {
            "title": link.get_text(),
            "date": article.select_one("time.latest-update-date")["datetime"],
            "excerpt": article.select_one("p.latest-update-excerpt").get_text(),
            "categories": [a["href"] for a in article.select("a.latest-update-category")],
        }
    return entries


def archive_docnames(outdir: Path) -> set[str]:
    page = outdir / "archive.html"
    return {
        resolve(page, a["href"]).relative_to(outdir.resolve()).with_suffix("").as_posix()
        for a in soup(page).select("a.post-archive-title")
    }


def listing_docnames(outdir: Path) -> set[str]:
    """Posts on ablog's listing of all posts."""
    page = outdir / "blog.html"
    return {
        resolve(page, a["href"]).relative_to(outdir.resolve()).with_suffix("").as_posix()
        for a in soup(page).select(".ablog-post-title a")
    }


def feed_docnames(outdir: Path) -> dict[str, set[str]]:
    """Posts in the site's Atom, RSS and JSON feeds."""
    found = {}
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((outdir / "blog" / name).read_bytes())
        assert feed.bozo == 0, name
        found[name] = {e.link.removeprefix(BASE).removesuffix(".html") for e in feed.entries}
    items = json.loads((outdir / "blog/feed.json").read_text(encoding="utf-8"))["items"]
    found["feed.json"] = {i["url"].removeprefix(BASE).removesuffix(".html") for i in items}
    return found


def sitemap_docnames(outdir: Path) -> set[str]:
    text = (outdir / "sitemap.xml").read_text(encoding="utf-8")
    return {unquote(u).removeprefix(BASE).removesuffix(".html") for u in re.findall(r"<loc>(.*?)</loc>", text)}


def assert_published(outdir: Path, docnames: set[str]) -> None:
    """Each of *docnames* is on the index, the archives, every feed and the sitemap."""
    assert docnames <= set(index_entries(outdir)), "home index"
    assert docnames <= archive_docnames(outdir), "archive page"
    assert docnames <= listing_docnames(outdir), "ablog listing"
    for feed, found in feed_docnames(outdir).items():
        assert docnames <= found, feed
    assert docnames <= sitemap_docnames(outdir), "sitemap"
    for docname in docnames:
        assert (outdir / f"{docname}.html").is_file()


# -- legitimate input: one site, no warnings -----------------------------------

BIG = "".join(f"第 {i} 段：" + "知识就是力量。" * 20 + "\n\n" for i in range(7000))  # ~1 MB
HEADINGS = "".join(f"## 小节 {i}\n\n内容 {i}\n\n" for i in range(2000))
LONG_LINE = "长" * 10_000

HOSTILE_TITLE = "原始 <b>HTML</b> 标题 <script>alert('title')</script>"
HOSTILE_CATEGORY = '<script>alert("cat")</script>'
HOSTILE_TAG = "x\"><svg onload=alert('tag')>"
HOSTILE_AUTHOR = "<img src=x onerror=alert('author')>"
HOSTILE_BODY = """\
<script>alert('block')</script>

段落里 <img src=x onerror=alert(1)> 和 <b>粗体</b>，还有 "><svg onload=alert(2)>。

模板语法 {{ 7*7 }} 和 {% raw %} 以及 </textarea> 与 &amp;amp; 都是文字。

<!-- 作者的备注，读者看不到 -->

```{raw} html
<iframe src="https://evil.example/"></iframe>
```

售价 $5，折后 $3；公式 $x^2$ 照常排版。
"""

LEGIT = {
    "posts/2025/time-zone.md": _post("2025-03-01T23:30:00-05:00", "带时区的日期"),
    "posts/2099/draft.md": _post("2099-01-01", "来自未来的草稿", category="未来分类", tags="secret-tag"),
    "posts/2025/bom.md": "\ufeff" + _post("2025-03-03", "带 BOM 的文章", category="编码"),
    "posts/2025/crlf.md": _post("2025-03-04", "CRLF 换行", tags="换行").replace("\n", "\r\n"),
    "posts/2025/only-code.md": _post("2025-03-05", "只有代码", "```python\nprint('hi')\n```"),
    "posts/2025/only-math.md": _post("2025-03-06", "只有公式", "$$\nE = mc^2\n$$"),
    "posts/2025/only-image.md": _post("2025-03-07", "只有图片", "![一个像素](pixel.gif)"),
    "posts/2025/pixel.gif": PIXEL,
    "posts/2025/big.md": _post("2025-03-08", "一兆字节", BIG),
    "posts/2025/headings.md": _post("2025-03-09", "两千个标题", HEADINGS),
    "posts/2025/long-line.md": _post("2025-03-10", "一万字一行", LONG_LINE),
    "posts/2025/foo.md": _post("2025-03-11", "二〇二五年的 foo"),
    "posts/2026/foo.md": _post("2026-01-11", "二〇二六年的 foo"),
    "posts/2025/cpp.md": _post("2025-03-12", "C 加加", category="C/C++", tags="🚀"),
    "posts/2025/cc.md": _post("2025-03-13", "CC 编译器", category="CC", tags="🔥"),
    "posts/2025/chinese.md": _post("2025-03-14", "中文分类", category="强化学习", tags="机器 学习, a/b"),
    "posts/2025/hostile.md": _post(
        "2025-03-15", HOSTILE_TITLE, HOSTILE_BODY,
        category=json.dumps(HOSTILE_CATEGORY), tags=json.dumps(f"{HOSTILE_TAG}, {{{{ 7*7 }}}}"),
        author=json.dumps(HOSTILE_AUTHOR),
    ),
    # as Jekyll, Hexo and Hugo write them: the title in front matter, their date forms,
    # <!--more--> ending the excerpt, draft: true
    "posts/2020/jekyll-style.md": (
        "---\ntitle: 来自 Jekyll 的标题\ndate: 2020-11-12 17:04:19 +0800\ncategory: 迁移\ntags: jekyll\n---\n"
        "开头一段。\n\n<!--more-->\n\n更多正文，不在摘要里。\n\n## 第一节\n\n内容。\n"
    ),
    "posts/2019/hexo-style.md": (
        "---\ntitle: \"Hexo <script>alert('fm')</script> & 日期\"\ndate: 2019-1-15 5:10\ntags: [hexo, 迁移]\n---\n"
        "正文。\n\n<!-- more -->\n\n后文。\n"
    ),
    "posts/2020/hugo-style.md": "---\ntitle: Hugo 的日期\ndate: 2020-11-12T23:04:19-05:00\ndraft: false\n---\n正文。\n",
    "posts/2025/draft-flag.md": "---\ntitle: 标记为草稿\ndate: 2025-01-02\ndraft: true\n---\n草稿正文 secret-draft-flag。\n",
}
PUBLISHED = {
    f"posts/{name.split('/', 1)[1].removesuffix('.md')}"
    for name in LEGIT
    if name.endswith(".md") and "2099" not in name and "draft-flag" not in name
} | {"posts/2025/good"}
# the posts whose title is in their front matter: (docname, title as shown)
FRONT_MATTER_TITLES = [
    ("posts/2020/jekyll-style", "来自 Jekyll 的标题"),
    ("posts/2019/hexo-style", "Hexo <script>alert('fm')</script> & 日期"),
    ("posts/2020/hugo-style", "Hugo 的日期"),
]
TITLE_SHOWN = "原始 <b>HTML</b> 标题 <script>alert('title')</script>"


@pytest.fixture(scope="module")
def legit(tmp_path_factory):
    src = make_site(tmp_path_factory.mktemp("bad-input-legit"), LEGIT, theme="sphinx_book_theme")
    return build(src, freshenv=True)


def test_legitimate_oddities_build_without_a_warning(legit):
    assert _clean(legit.warning.getvalue()) == ""


def test_every_published_post_is_everywhere(legit):
    assert_published(legit.outdir, PUBLISHED)
    assert set(index_entries(legit.outdir)) == PUBLISHED


def test_future_post_is_a_draft_absent_everywhere_and_logged_once(legit):
    log = _clean(legit.status.getvalue())
    assert log.count("not published") == 1
    assert "posts/2099/draft" in log
    assert not (legit.outdir / "posts/2099").exists()
    assert "posts/2099/draft" not in sitemap_docnames(legit.outdir)
    for path in legit.outdir.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert "来自未来的草稿" not in text and "secret-tag" not in text, path
            assert "未来分类" not in text, path


def test_date_with_time_zone_is_the_site_day(legit):
    # 23:30 at UTC-5 is 12:30 the next day in Asia/Shanghai
    assert index_entries(legit.outdir)["posts/2025/time-zone"]["date"] == "2025-03-02"


def test_other_engines_date_forms_are_read(legit):
    entries = index_entries(legit.outdir)
    assert entries["posts/2020/jekyll-style"]["date"] == "2020-11-12"  # 2020-11-12 17:04:19 +0800
    assert entries["posts/2019/hexo-style"]["date"] == "2019-01-15"  # 2019-1-15 5:10
    assert entries["posts/2020/hugo-style"]["date"] == "2020-11-13"  # 23:04 at UTC-5, RFC 3339


@pytest.mark.parametrize(("docname", "title"), FRONT_MATTER_TITLES)
def test_a_front_matter_title_is_the_title_everywhere(legit, docname, title):
    page = soup(legit.outdir / f"{docname}.html")
    assert page.select_one("article h1").get_text().removesuffix("#") == title
    assert page.title.get_text().startswith(title)
    assert page.select_one('meta[property="og:title"]')["content"] == title
    assert index_entries(legit.outdir)[docname]["title"] == title
    archive = soup(legit.outdir / "archive.html")
    assert title in [a.get_text().strip() for a in archive.select("a.post-archive-title")]
    atom = feedparser.parse((legit.outdir / "blog" / "atom.xml").read_bytes())
    assert title in [entry.title for entry in atom.entries]
    # the body's first ## section stays a section of the post, not a title of its own
    if docname == "posts/2020/jekyll-style":
        assert [h.get_text().removesuffix("#") for h in page.select("article h2")] == ["第一节"]


def test_more_comment_ends_the_excerpt(legit):
    entries = index_entries(legit.outdir)
    assert entries["posts/2020/jekyll-style"]["excerpt"] == "开头一段。"
    assert entries["posts/2019/hexo-style"]["excerpt"] == "正文。"


def test_draft_true_is_a_draft_whatever_its_date(legit):
    assert not (legit.outdir / "posts/2025/draft-flag.html").exists()
    assert "posts/2025/draft-flag" in _clean(legit.status.getvalue())
    for path in legit.outdir.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8")
            assert "secret-draft-flag" not in text and "标记为草稿" not in text, path


def test_bom_and_crlf_front_matter_is_read(legit):
    for docname, catalog, name in [
        ("posts/2025/bom", "category", "编码"),
        ("posts/2025/crlf", "tag", "换行"),
    ]:
        page = legit.outdir / f"blog/{catalog}/{archive_slug(name)}.html"
        assert docname in {
            resolve(page, a["href"]).relative_to(legit.outdir.resolve()).with_suffix("").as_posix()
            for a in soup(page).select(".ablog-post-title a")
        }
    assert index_entries(legit.outdir)["posts/2025/bom"]["title"] == "带 BOM 的文章"


def test_posts_without_prose_get_a_placeholder_excerpt(legit):
    entries = index_entries(legit.outdir)
    assert entries["posts/2025/only-code"]["excerpt"] == "[代码]"
    assert entries["posts/2025/only-math"]["excerpt"] == "[公式]"
    assert entries["posts/2025/only-image"]["excerpt"] == "[图片]"
    assert soup(legit.outdir / "posts/2025/only-math.html").select(".katex-display")
    assert soup(legit.outdir / "posts/2025/only-image.html").select("img[alt='一个像素']")


def test_huge_posts_build_whole_and_their_excerpts_are_bounded(legit):
    entries = index_entries(legit.outdir)
    for docname in ("posts/2025/big", "posts/2025/headings", "posts/2025/long-line"):
        excerpt = entries[docname]["excerpt"]
        assert excerpt.endswith("...") and len(excerpt) <= 60 + len("..."), docname
        description = soup(legit.outdir / f"{docname}.html").select_one('meta[name="description"]')["content"]
        assert description == excerpt
    assert "第 6999 段" in (legit.outdir / "posts/2025/big.html").read_text(encoding="utf-8")
    headings = soup(legit.outdir / "posts/2025/headings.html").select(".bd-article h2")
    assert len(headings) == 2000 and "小节 1999" in headings[-1].get_text()
    assert LONG_LINE in (legit.outdir / "posts/2025/long-line.html").read_text(encoding="utf-8")


def test_posts_with_one_slug_in_two_years_have_their_own_pages(legit):
    entries = index_entries(legit.outdir)
    assert entries["posts/2025/foo"]["title"] == "二〇二五年的 foo"
    assert entries["posts/2026/foo"]["title"] == "二〇二六年的 foo"
    assert soup(legit.outdir / "posts/2026/foo.html").select_one("h1").get_text().startswith("二〇二六年")


def test_categories_and_tags_ablog_would_merge_get_distinct_pages(legit):
    out = legit.outdir

    def posts_on(catalog: str, name: str) -> set[str]:
        page = out / f"blog/{catalog}/{archive_slug(name)}.html"
        assert page.is_file(), (catalog, name)
        return {
            resolve(page, a["href"]).relative_to(out.resolve()).with_suffix("").as_posix()
            for a in soup(page).select(".ablog-post-title a")
        }

    assert posts_on("category", "C/C++") == {"posts/2025/cpp"}
    assert posts_on("category", "CC") == {"posts/2025/cc"}
    assert posts_on("tag", "🚀") == {"posts/2025/cpp"}
    assert posts_on("tag", "🔥") == {"posts/2025/cc"}
    assert posts_on("category", "强化学习") == {"posts/2025/chinese"}
    assert posts_on("tag", "机器 学习") == {"posts/2025/chinese"}
    assert posts_on("tag", "a/b") == {"posts/2025/chinese"}
    assert (out / "blog/category/cc.html").is_file()  # names ablog keeps whole keep ablog's URL
    assert not (out / "blog/tag/.html").exists()
    # one page and one feed per name
    categories = {"Python", "编码", "C/C++", "CC", "强化学习", "迁移", HOSTILE_CATEGORY}
    assert len(list((out / "blog/category").glob("*.html"))) == len(categories)
    assert len(list((out / "blog/category").glob("*/atom.xml"))) == len(categories)
    # the home index, the post header, the sidebars and objects.inv point at those pages
    cpp_page = f"blog/category/{archive_slug('C/C++')}"
    assert index_entries(out)["posts/2025/cpp"]["categories"] == [f"{cpp_page}.html"]
    post = out / "posts/2025/cpp.html"
    for selector in ("a.post-category", ".ablog__postcard2 a[href*='category/']"):
        targets = {resolve(post, a["href"]) for a in soup(post).select(selector)}
        assert targets == {(out / f"{cpp_page}.html").resolve()}, selector
    std = legit.env.domains.standard_domain
    assert std.labels[f"category-{archive_slug('C/C++')}"][0] == cpp_page
    assert std.labels["category-cc"][0] == "blog/category/cc"


def test_no_link_between_pages_is_broken(legit):
    out = legit.outdir.resolve()
    for path in legit.outdir.rglob("*.html"):
        for a in soup(path).select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:", "#", "javascript:")) or "?" in href:
                continue
            assert resolve(path, unquote(href)).exists(), f"{path.relative_to(out)}: {href}"


def test_raw_html_in_a_post_is_shown_as_text(legit):
    page = soup(legit.outdir / "posts/2025/hostile.html")
    article = page.select_one(".bd-article")
    shown = [code.get_text() for code in article.select(".raw-html")]
    for markup in (
        "<script>alert('block')</script>",
        "<img src=x onerror=alert(1)>",
        "<b>",
        "<svg onload=alert(2)>",
        "</textarea>",
        '<iframe src="https://evil.example/"></iframe>',
    ):
        assert any(markup in text for text in shown), markup
    text = article.get_text()
    template = next(p.get_text() for p in article.select("p") if "模板语法" in p.get_text())
    assert "{{ 7*7 }}" in template and "{% raw %}" in template and "&amp;" in template
    assert "49" not in template
    assert "作者的备注" not in legit.outdir.joinpath("posts/2025/hostile.html").read_text(encoding="utf-8")
    assert "售价 $5，折后 $3" in text
    assert len(article.select(".katex")) == 1
    # the title is text on the post, the index, the archive, the listing and in the feeds
    assert article.select_one("h1").get_text().rstrip("#¶") == TITLE_SHOWN
    assert TITLE_SHOWN in page.select_one("title").get_text()
    assert index_entries(legit.outdir)["posts/2025/hostile"]["title"] == TITLE_SHOWN
    assert "<img src=x onerror=alert(1)>" in index_entries(legit.outdir)["posts/2025/hostile"]["excerpt"]
    archive = soup(legit.outdir / "archive.html")
    assert TITLE_SHOWN in [a.get_text() for a in archive.select("a.post-archive-title")]
    assert TITLE_SHOWN in [a.get_text() for a in soup(legit.outdir / "blog.html").select(".ablog-post-title a")]
    atom = feedparser.parse((legit.outdir / "blog/atom.xml").read_bytes())
    assert TITLE_SHOWN in [e.title for e in atom.entries]
    items = json.loads((legit.outdir / "blog/feed.json").read_text(encoding="utf-8"))["items"]
    assert TITLE_SHOWN in [i["title"] for i in items]
    assert TITLE_SHOWN in [title for _, title, *_ in search_index(legit.outdir)["pages"]]


def test_no_markup_from_a_post_is_live_on_any_page(legit):
    for path in legit.outdir.rglob("*.html"):
        page = soup(path)
        assert not page.select("[onerror], [onload], svg, iframe, textarea"), path
        for script in page.select("script"):
            assert "alert(" not in script.get_text(), path


# -- broken input: warnings naming file and line ---------------------------------

DATED = "---\ndate: 2025-02-01\n---\n"  # front matter on lines 1-3

# {file: (content, line, what the warning says)}
REFUSED_BEFORE_READING = {
    "posts/2025/bad-yaml.md": (
        "---\ndate: 2025-02-01\ntags: [a, b\n---\n# 坏 YAML\n", 4, "front matter is not valid YAML"
    ),
    "posts/2025/bad-month.md": (
        "---\ncategory: Python\ndate: 2026-13-45\n---\n# 坏日期\n", 3, "date '2026-13-45' is not a date"
    ),
    "posts/2025/yesterday.md": ("---\ndate: yesterday\n---\n# 昨天\n", 2, "date 'yesterday' is not a date"),
    "posts/2025/latin-1.md": (f"{DATED}# Café\n".encode("latin-1"), 4, "file is not valid UTF-8 (byte 0xE9"),
    "posts/2025/utf-16.md": (f"{DATED}# 文章\n".encode("utf-16"), 1, "file is not valid UTF-8 (byte 0xFF"),
    "posts/2025/nul.md": (f"{DATED}# 空字节\n\n正\x00文\n", 6, "file contains a NUL byte"),
    "posts/2025/empty.md": ("", 1, "file is empty"),
}
REFUSED_WHILE_READING = {
    "posts/2025/no-title.md": (f"{DATED}只有正文，没有标题。\n", None, "post has no title"),
    "posts/2025/only-front-matter.md": ("---\ndate: 2025-02-02\ncategory: Python\n---\n", None, "post has no title"),
    "posts/2025/unclosed-fence.md": (
        f"{DATED}# 未闭合\n\n前文\n\n```python\nprint(1)\n\n## 后面的标题\n",
        8,
        "code fence '```' opened on this line is never closed",
    ),
    # a directive's content is parsed again by MyST with the post's parser: the fences in it are
    # the directive's business, and the post's are looked at once
    "posts/2025/nested-fence.md": (f"{DATED}# 嵌套\n\n````{{note}}\n```python\nprint(1)\n````\n", None, None),
    "posts/2025/katex.md": (f"{DATED}# 坏公式\n\n正文\n\n$\\notacommand{{x}}$\n", 8, "KaTeX cannot render"),
    "posts/2025/missing-label.md": (
        f"{DATED}# 坏引用\n\n见 {{ref}}`no-such-label`。\n", 6, "undefined label: 'no-such-label'"
    ),
    "posts/2025/missing-file.md": (
        f"{DATED}# 坏链接\n\n见 [别处](../2024/nowhere.md)。\n",
        6,
        "'myst' cross-reference target not found: '../2024/nowhere.md'",
    ),
    "posts/2025/missing-doc.md": (f"{DATED}# 坏文档\n\n见 {{doc}}`nowhere`。\n", 6, "unknown document: 'nowhere'"),
    "posts/2025/categories.md": (
        "---\ndate: 2025-02-03\ncategories: Python\n---\n# 复数的键\n",
        3,
        "front matter key 'categories' means nothing here and is ignored; write category: (one key, a list allowed)",
    ),
    "posts/2025/layout.md": (
        "---\nlayout: post\ndate: 2025-02-04\n---\n# 版式\n",
        2,
        "front matter key 'layout' means nothing here and is ignored; the site has one post layout; leave it out",
    ),
    "posts/2025/two-titles.md": (
        "---\ndate: 2025-02-05\ntitle: 前言里的标题\n---\n# 正文里的标题\n\n正文。\n",
        3,
        "the post has two titles: title: '前言里的标题' in its front matter and the heading '# 正文里的标题' "
        "(line 5); keep one, and write the post's sections as ## headings",
    ),
    "posts/2025/maybe-draft.md": (
        "---\ndate: 2025-02-06\ndraft: maybe\n---\n# 也许是草稿\n", 3, "draft is 'maybe'; write draft: true (or leave it out)"
    ),
    "posts/2025/case-a.md": ("---\ndate: 2025-02-07\ncategory: Machine Learning\n---\n# 大写\n", None, None),
    "posts/2025/case-b.md": (
        "---\ndate: 2025-02-08\ncategory: machine learning\n---\n# 小写\n",
        None,
        "category names 'Machine Learning' (posts/2025/case-a.md) and 'machine learning' "
        "(posts/2025/case-b.md) share one archive page, blog/category/machine-learning.html",
    ),
}


def _expected(cases):
    for name, (_, line, message) in cases.items():
        if message is not None:
            yield f"{name}:{line}: WARNING: {message}" if line else f"{name}: WARNING: {message}"


@pytest.mark.parametrize("cases", [REFUSED_BEFORE_READING, REFUSED_WHILE_READING], ids=["before", "while"])
def test_broken_posts_are_warnings_naming_file_and_line(tmp_path, cases):
    src = make_site(tmp_path, {name: content for name, (content, _, _) in cases.items()})
    app = build(src, freshenv=True)
    warnings = _clean(app.warning.getvalue())
    status = _clean(app.status.getvalue())
    assert "Traceback" not in warnings + status
    for expected in _expected(cases):
        assert warnings.count(expected) == 1, f"{expected!r} not in\n{warnings}"
    assert warnings.count("WARNING") == len(list(_expected(cases))), warnings
    # the good post beside them lost nothing
    assert_published(app.outdir, {"posts/2025/good"})
    assert index_entries(app.outdir)["posts/2025/good"]["title"] == "好邻居"
    if cases is REFUSED_WHILE_READING:
        # untitled posts are not listed with a "<no title>" title
        assert all(e["title"].strip() for e in index_entries(app.outdir).values())
        assert "no title" not in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_under_W_a_broken_post_fails_the_build_without_a_traceback(tmp_path):
    src = make_site(tmp_path, {
        "posts/2025/bad-month.md": REFUSED_BEFORE_READING["posts/2025/bad-month.md"][0],
        "posts/2025/unclosed-fence.md": REFUSED_WHILE_READING["posts/2025/unclosed-fence.md"][0],
    })
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(src), str(tmp_path / "html")],
        capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "_ext"), "PATH": "/usr/bin:/bin"},
    )
    stderr = _clean(result.stderr)
    assert result.returncode != 0
    assert "Traceback" not in stderr and "Exception occurred" not in stderr
    assert "posts/2025/bad-month.md:3: WARNING: date '2026-13-45' is not a date" in stderr
    assert "posts/2025/unclosed-fence.md:8: WARNING: code fence '```'" in stderr
    assert (tmp_path / "html/posts/2025/good.html").is_file()


def test_a_broken_post_is_reported_on_every_build_until_fixed(tmp_path):
    """The pre-scan keeps good dates between builds (by file size and time), never errors."""
    bad = "posts/2025/bad-month.md"
    src = make_site(tmp_path, {bad: REFUSED_BEFORE_READING[bad][0]})
    build(src, freshenv=True)
    second = build(src)
    assert f"{bad}:3: WARNING: date '2026-13-45' is not a date" in _clean(second.warning.getvalue())
    (src / bad).write_text(REFUSED_BEFORE_READING[bad][0].replace("2026-13-45", "2025-01-15"), encoding="utf-8")
    third = build(src)
    assert third.warning.getvalue() == ""
    assert_published(third.outdir, {"posts/2025/good", "posts/2025/bad-month"})


# -- the pure parts ------------------------------------------------------------


def test_impossible_dates_are_reported_not_raised(tmp_path):
    assert read_front_matter("---\ndate: 2026-13-45\n---\n") == {"date": "2026-13-45"}
    assert str(read_front_matter("---\ndate: 2026-02-03\n---\n")["date"]) == "2026-02-03"
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: x\ndate: 2026-02-30\n---\n", encoding="utf-8")
    from zoneinfo import ZoneInfo

    with pytest.raises(FrontMatterError) as caught:
        scan_post(path, "post", ZoneInfo("Asia/Shanghai"))
    assert caught.value.line == 3 and "2026-02-30" in str(caught.value)


def test_archive_slugs_keep_whole_names_and_separate_the_rest():
    assert archive_slug("Machine Learning") == "machine-learning"
    assert archive_slug("强化学习") == "强化学习"
    assert archive_slug("large-model") == "large-model"
    names = ["C/C++", "CC", "C++", "C#", "C", "🚀", "🔥", "a/b", "ab", "café", "cafe", "Ｃ", "<b>", "b"]
    slugs = [archive_slug(name) for name in names]
    assert len(set(slugs)) == len(names), dict(zip(names, slugs))
    assert all(slugs) and all(re.fullmatch(r"[\w-]+", slug) for slug in slugs)
    assert archive_slug("C/C++") == archive_slug("C/C++")  # stable


@pytest.mark.parametrize(
    ("text", "unclosed"),
    [
        ("```\ncode\n```\n", []),
        ("````\ncode\n```\n", [(1, "````")]),
        ("para\n\n```py\ncode\n", [(3, "```")]),
        ("```", [(1, "```")]),
        ("~~~\ncode\n~~~~\n", []),
        (":::{note}\ntext\n", [(1, ":::")]),
        (":::{note}\ntext\n:::\n", []),
        ("1. step\n\n   ```bash\n   ls\n   ```\n", []),
        ("1. step\n\n   ```bash\n   ls\n\n2. next\n", [(3, "```")]),
        ("> ```\n> quoted\n> ```\n", []),
        ("> ```\n> quoted\n\nafter\n", [(1, "```")]),
        ("---\ndate: 2025-01-01\n---\n# t\n\n```\nx\n", [(6, "```")]),
    ],
)
def test_unclosed_fences(text, unclosed):
    config = MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath"})
    assert unclosed_fences(text, create_md_parser(config, RendererHTML)) == unclosed
