"""The full site's extras: sitemap, robots.txt, social meta, 404 page, favicon, post extras, feeds
(the 404 page served like Read the Docs, in Chromium: tests/browser/test_not_found.py)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from zhiyuan.posts.frontmatter import read_front_matter

from helpers import REPO, resolve, soup

pytestmark = pytest.mark.site

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOT_IN_SITEMAP = {"search.html", "genindex.html", "404.html", "blog/drafts.html"}
RL_SERIES = ["rl-basic-concepts-grid-world", "stochastic-approximation", "monte-carlo-methods",
             "actor-critic", "ddpg", "trpo"]


def _posts() -> dict[str, dict]:
    today = dt.date.today()
    posts = {}
    for path in sorted((REPO / "posts").glob("*/*.md")):
        meta = read_front_matter(path.read_text(encoding="utf-8"))
        date = meta.get("date")
        if date and (date.date() if isinstance(date, dt.datetime) else date) <= today:
            posts[f"posts/{path.parent.name}/{path.stem}.html"] = meta
    return posts


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


def _base(site: Path) -> str:
    canonical = soup(site / "index.html").select_one('link[rel="canonical"]')["href"]
    assert canonical.endswith("index.html")
    return canonical[: -len("index.html")]


def _head(path: Path) -> BeautifulSoup:
    """Only the page's <head>: fast on pages full of typeset math."""
    text = path.read_text(encoding="utf-8")
    return BeautifulSoup(text[: text.index("</head>") + len("</head>")], "html.parser")


@functools.cache
def _page(path: Path) -> BeautifulSoup:
    return soup(path)


def _meta(page, key):
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


# -- sitemap, robots.txt, favicon -------------------------------------------


def test_sitemap_lists_every_public_page_and_no_draft(site):
    base = _base(site)
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(base) and base.startswith("https://") for loc in locs)
    assert all(loc.isascii() for loc in locs)  # percent-encoded, e.g. the Chinese author page
    listed = {unquote(loc[len(base):]) for loc in locs}
    built = {p.relative_to(site).as_posix() for p in _pages(site)}
    assert listed == built - NOT_IN_SITEMAP
    assert set(_posts()) <= listed
    post_pages = {p for p in listed if p.startswith("posts/")}
    assert post_pages == set(_posts())  # no draft, nothing else


def test_robots_txt(site):
    text = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {_base(site)}sitemap.xml" in text.splitlines()


def test_favicon_on_every_page(site):
    ET.parse(site / "_static/favicon.svg")  # well-formed
    for path in _pages(site):
        icon = _head(path).select_one('link[rel="icon"]')
        assert icon is not None, path
        assert resolve(path, icon["href"]) == (site / "_static/favicon.svg").resolve() or icon["href"].startswith("/")


# -- OpenGraph / Twitter ------------------------------------------------------


def test_every_page_has_opengraph_and_twitter_meta(site):
    base = _base(site)
    for path in _pages(site):
        rel = path.relative_to(site).as_posix()
        page = _head(path)
        if rel == "404.html":
            continue
        assert _meta(page, "og:title"), rel
        assert _meta(page, "og:url") == base + quote(rel), rel
        assert _meta(page, "og:site_name") == "知源", rel
        # posts are shared with a picture (tests/site/test_share.py), other pages with none
        card = "summary_large_image" if rel in _posts() else "summary"
        assert _meta(page, "twitter:card") == card, rel
        assert _meta(page, "twitter:title") == _meta(page, "og:title"), rel


def test_posts_use_their_excerpt_as_description(site):
    for rel in _posts():
        page = _page(site / rel)
        description = _meta(page, "description")
        assert description, rel
        assert _meta(page, "og:description") == description, rel
        assert _meta(page, "twitter:description") == description, rel
        assert _meta(page, "og:title") == page.select_one(".bd-article h1").get_text().replace("#", "").strip()


# -- 404 ----------------------------------------------------------------------


def test_404_page_is_chinese_and_absolute(site):
    prefix = urlsplit(_base(site)).path
    page = soup(site / "404.html")
    assert "页面未找到" in page.select_one("article h1").get_text()
    for tag, attr in (("link", "href"), ("script", "src"), ("a", "href"), ("form", "action"), ("img", "src")):
        for el in page.select(f"{tag}[{attr}]"):
            assert el[attr].startswith((prefix, "#", "https://")), (tag, el[attr])



# -- posts: reading time, prev/next, related, series ---------------------------


def test_every_post_shows_date_category_tags_author_and_reading_time(site):
    for rel, meta in _posts().items():
        extras = _page(site / rel).select_one(".bd-article .post-extras")
        assert extras is not None, rel
        assert extras.select_one("time.post-date")["datetime"] == str(meta["date"])[:10]
        assert [a.get_text() for a in extras.select("a.post-category")] == [meta["category"]]
        assert [a.get_text() for a in extras.select("a.post-tag")] == [f"#{t.strip()}" for t in meta["tags"].split(",")]
        assert extras.select_one(".post-author").get_text() == "知源编辑部"
        minutes = int(extras.select_one(".post-reading-time")["data-minutes"])
        assert 3 <= minutes <= 90, (rel, minutes)


def test_every_post_links_previous_and_next(site):
    posts = _posts()
    ordered = sorted(posts, key=lambda rel: posts[rel]["date"])
    for i, rel in enumerate(ordered):
        path = site / rel
        nav = _page(path).select_one(".ablog__prev-next")
        prev_link, next_link = nav.select_one(".ablog__prev a"), nav.select_one(".ablog__next a")
        if i == 0:
            assert prev_link is None
        else:
            assert resolve(path, prev_link["href"]) == (site / ordered[i - 1]).resolve(), rel
        if i == len(ordered) - 1:
            assert next_link is None
        else:
            assert resolve(path, next_link["href"]) == (site / ordered[i + 1]).resolve(), rel


def test_related_posts_are_at_most_five_existing_other_posts(site):
    with_related = 0
    for rel in _posts():
        path = site / rel
        links = _page(path).select(".post-related a.post-related-link")
        assert len(links) <= 5
        targets = [resolve(path, a["href"]) for a in links]
        assert all(t.is_file() and t != path.resolve() for t in targets), rel
        assert len(set(targets)) == len(targets)
        with_related += bool(links)
    assert with_related == len(_posts())


def test_reinforcement_learning_series(site):
    chain = [site / f"posts/2025/{slug}.html" for slug in RL_SERIES]
    for position, path in enumerate(chain, start=1):
        nav = _page(path).select_one("nav.post-series")
        assert nav.select_one(".post-series-position").get_text().endswith(f"系列第 {position} 篇，共 6 篇")
        items = nav.select("ol.post-series-list > li")
        assert items[position - 1]["aria-current"] == "page"
        linked = [resolve(path, a["href"]) for a in nav.select("ol a")]
        assert linked == [p.resolve() for p in chain if p != path]
        overview = resolve(path, nav.select_one("a.post-series-link")["href"])
        assert overview == (site / "series/rl-foundations.html").resolve()
    overview = soup(site / "series/rl-foundations.html")
    titles = [a["href"] for a in overview.select(".series-entries a.series-entry-title")]
    assert titles == [f"../posts/2025/{slug}.html" for slug in RL_SERIES]


# -- feeds --------------------------------------------------------------------


def test_rss_and_json_feed_carry_every_post_with_its_excerpt(site):
    base = _base(site)
    posts = _posts()
    rss = feedparser.parse((site / "blog/rss.xml").read_bytes())
    assert rss.bozo == 0 and rss.version == "rss20"
    feed = json.loads((site / "blog/feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    expected = min(len(posts), 50)
    assert len(rss.entries) == len(feed["items"]) == expected
    assert {e.link for e in rss.entries} == {base + rel for rel in posts}
    for entry, item in zip(rss.entries, feed["items"]):
        assert entry.link == item["url"]
        description = _meta(_head(site / entry.link[len(base):]), "description")
        assert item["summary"] == description


def test_every_page_advertises_atom_rss_and_json_feeds(site):
    for path in _pages(site):
        head = _head(path)
        for kind, name in (("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml"),
                           ("application/feed+json", "feed.json")):
            links = head.select(f'link[rel="alternate"][type="{kind}"]')
            targets = {l["href"] if l["href"].startswith("/") else resolve(path, l["href"]) for l in links}
            assert (site / "blog" / name).resolve() in targets or any(
                isinstance(t, str) and t.endswith(f"/blog/{name}") for t in targets
            ), (path, kind)
