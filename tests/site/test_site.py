"""The full site, built exactly as `nox -s build` builds it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import feedparser
import pytest

from helpers import REPO, page_scripts, resolve, search_index, soup

sys.path.insert(0, str(REPO / "_ext"))
from zhiyuan.posts.frontmatter import read_front_matter  # noqa: E402

pytestmark = pytest.mark.site


def _published_posts() -> dict[str, dict]:
    posts = {}
    for path in sorted((REPO / "posts").glob("*/*.md")):
        meta = read_front_matter(path.read_text(encoding="utf-8"))
        if meta.get("date"):
            posts[f"posts/{path.parent.name}/{path.stem}"] = meta
    return posts


def _split(value) -> list[str]:
    return value if isinstance(value, list) else [v.strip() for v in str(value).split(",") if v.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


def _links(site: Path, page: str) -> set[str]:
    path = site / f"{page}.html"
    found = set()
    for a in soup(path).select(".bd-article a[href]"):
        href = a["href"]
        if href.startswith(("http:", "https:", "#", "mailto:")):
            continue
        try:
            found.add(resolve(path, href).relative_to(site.resolve()).with_suffix("").as_posix())
        except ValueError:
            pass
    return found


def test_there_are_posts_to_check():
    assert len(_published_posts()) >= 3


def test_home_page(site):
    home = soup(site / "index.html")
    assert home.select_one(".bd-article h1").get_text(strip=True).rstrip("#") == "INCOMING TRANSMISSION"
    headings = [h.get_text(strip=True).rstrip("#") for h in home.select(".bd-article h2")]
    assert "LATEST UPDATES" in headings
    assert home.select_one("html")["lang"] == "zh-CN"


def test_home_page_index_reaches_every_published_post(site):
    posts = _published_posts()
    seen, page, path = [], 1, site / "index.html"
    while True:
        html = soup(path)
        entries = html.select("section.latest-updates > article.latest-update")
        assert 1 <= len(entries) <= 10
        for entry in entries:
            href = entry.select_one("a.latest-update-title")["href"]
            seen.append(resolve(path, href).relative_to(site.resolve()).with_suffix("").as_posix())
            assert entry.select_one("time.latest-update-date")["datetime"] == str(posts[seen[-1]]["date"])
            assert entry.select_one("a.latest-update-category").get_text() == posts[seen[-1]]["category"]
            assert entry.select_one("p.latest-update-excerpt").get_text().strip()
        nxt = html.select_one('nav.latest-updates-pager a[rel="next"]')
        if nxt is None:
            break
        path, page = resolve(path, nxt["href"]), page + 1
    assert sorted(seen) == sorted(posts)
    dates = [posts[d]["date"] for d in seen]
    assert dates == sorted(dates, reverse=True)


def test_each_post_is_linked_from_listing_category_tags_and_year(site):
    for docname, meta in _published_posts().items():
        assert (site / f"{docname}.html").is_file(), docname
        pages = ["blog", f"blog/{docname.split('/')[1]}"]
        pages += [f"blog/category/{_slug(c)}" for c in _split(meta["category"])]
        pages += [f"blog/tag/{_slug(t)}" for t in _split(meta["tags"])]
        for page in pages:
            assert docname in _links(site, page), f"{docname} is not linked from {page}"


def test_feeds_parse_and_link_absolutely(site):
    posts = _published_posts()
    feed = feedparser.parse((site / "blog/atom.xml").read_bytes())
    assert feed.bozo == 0
    assert len(feed.entries) == min(len(posts), 50)
    assert feed.feed.rights == "CC BY-SA 4.0（另有注明的除外）"  # the site's licence
    categories = {c for meta in posts.values() for c in _split(meta["category"])}
    for category in categories:
        cat_feed = feedparser.parse((site / f"blog/category/{_slug(category)}/atom.xml").read_bytes())
        assert cat_feed.bozo == 0
        expected = {d for d, m in posts.items() if category in _split(m["category"])}
        base = cat_feed.feed.link
        assert base.startswith("https://") and base.endswith("/")
        assert {e.link for e in cat_feed.entries} == {f"{base}{d}.html" for d in expected}


def test_feed_summaries_are_the_post_excerpts(site):
    feed = feedparser.parse((site / "blog/atom.xml").read_bytes())
    base = feed.feed.link
    for entry in feed.entries:
        page = soup(site / entry.link.removeprefix(base))
        assert entry.summary == page.select_one('meta[name="description"]')["content"], entry.link


def test_the_search_index_holds_each_articles_terms_where_they_are(site):
    index = search_index(site)
    urls = [url for url, *_ in index["pages"]]
    assert sum(kind == 0 for *_, kind, _ in index["pages"]) == len(list((REPO / "posts").rglob("*.md")))
    for term in ("梯度", "强化", "nn.functional", "cu_seqlens"):
        postings = index["terms"][term]
        for page, _, section in zip(postings[0::3], postings[1::3], postings[2::3]):
            anchor, heading, text, code = index["texts"][urls[page]][section]
            assert term in (heading + text + code).lower(), (term, urls[page], anchor)


_FETCHING_LINKS = {"stylesheet", "icon", "shortcut", "preload", "prefetch", "modulepreload", "manifest",
                   "apple-touch-icon", "dns-prefetch", "preconnect"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def _offsite(url: str) -> bool:
    return url.startswith(("http:", "https:", "//", "ftp:"))


def test_no_page_loads_search_data_until_search_is_opened(site):
    """The index grows with every post: pages carry only the deferred script that fetches it when a
    reader opens search (tests/browser/test_search.py watches it do so)."""
    for path in site.rglob("*.html"):
        if "_static" in path.parts:
            continue
        page = soup(path)
        assert "_search/" not in str(page), path
        scripts = page_scripts(site, path)
        assert not [name for name, _ in scripts if "searchindex" in name or "searchtools" in name], path
        (script,) = [tag for name, tag in scripts if name == "_static/zhiyuan-search.js"]
        assert script.has_attr("defer"), path


def test_no_page_or_stylesheet_loads_anything_from_elsewhere(site):
    problems = []
    for path in sorted(site.rglob("*.html")):
        page = soup(path)
        for tag, attr in (("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                          ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")):
            problems += [(path, el[attr]) for el in page.select(f"{tag}[{attr}]") if _offsite(el[attr])]
        for link in page.select("link[href]"):
            if set(link.get("rel", [])) & _FETCHING_LINKS and _offsite(link["href"]):
                problems.append((path, link["href"]))
        for el in page.select("[style]"):
            problems += [(path, u) for u in _CSS_URL.findall(el["style"]) if _offsite(u)]
        for style in page.select("style"):
            problems += [(path, u) for u in _CSS_URL.findall(style.get_text()) if _offsite(u)]
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        problems += [(css, u) for u in _CSS_URL.findall(text) + _IMPORT.findall(text) if _offsite(u)]
    assert problems == []


def test_katex_fonts_are_served_by_the_site(site):
    css = (site / "_static/katex/katex.min.css").read_text(encoding="utf-8")
    fonts = set(_CSS_URL.findall(css))
    assert fonts
    for font in fonts:
        assert (site / "_static/katex" / font).is_file(), font


def test_an_archive_heading_holds_its_name_and_the_feed_link_stands_beside_it(site):
    pages = sorted((site / "blog" / "category").glob("*.html"))
    assert pages
    for path in pages:
        page = soup(path)
        heading = page.select_one("section.ablog__collection > h1")
        assert heading is not None and not heading.select('a[href$="atom.xml"]'), path
        assert page.select_one('section.ablog__collection > h1 + p.ablog__feed > a[href$="atom.xml"]'), path
