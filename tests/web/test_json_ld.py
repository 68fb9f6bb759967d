"""JSON-LD (_ext/zhiyuan/web/json_ld.py): each post's schema.org Article in its head, with its
title, dates, authors, licence, share image, address and language; everything from the article
escaped so that nothing ends the data block."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from zhiyuan.web.json_ld import script

from helpers import build, soup

BASE = "https://example.org/zh-cn/latest/"
HOSTILE_TITLE = """</script><script>alert("x")</script> "引号" & 'Q' <!-- 与 Q&A"""
GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("share", freshenv=True)


def _blocks(path):
    return soup(path).select('script[type="application/ld+json"]')


def _article(outdir, slug):
    (block,) = _blocks(outdir / f"posts/2025/{slug}.html")
    return json.loads(block.string)


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_a_post_is_an_article_with_every_field(app):
    page = soup(app.outdir / "posts/2025/plain.html")
    data = _article(app.outdir, "plain")
    url = BASE + "posts/2025/plain.html"
    og_image = page.select_one('meta[property="og:image"]')["content"]
    assert data == {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "普通文章：从三个例子讲起",
        "description": "正文第一段。",
        "datePublished": "2025-03-01T08:30:00+08:00",
        "dateModified": "2025-03-01T08:30:00+08:00",  # outside git: no later change known
        "author": [{"@type": "Person", "name": "Alice"}],
        "publisher": {"@type": "Organization", "name": "测试站", "url": BASE},
        "license": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
        "image": {"@type": "ImageObject", "url": og_image, "width": 1200, "height": 630},
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "zh-CN",
        "articleSection": ["Python"],
        "keywords": ["python", "tools"],
    }
    assert page.select_one('link[rel="canonical"]')["href"] == url


def test_defaults_the_site_licence_and_author_and_a_date_without_time(app):
    data = _article(app.outdir, "hostile")
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hans"  # site_licence
    assert data["author"] == [{"@type": "Person", "name": "编辑部"}]  # blog_default_author
    assert data["datePublished"] == data["dateModified"] == "2025-04-01"


def test_the_article_text_is_escaped_inside_the_block(app):
    data = _article(app.outdir, "hostile")
    assert data["headline"] == HOSTILE_TITLE
    assert data["keywords"] == ["x</script>y"]
    raw = (app.outdir / "posts/2025/hostile.html").read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    text = raw[start:raw.index("</script>", start)]
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_pages_that_are_not_posts_have_none(app):
    for page in ("index.html", "blog.html", "genindex.html"):
        assert _blocks(app.outdir / page) == [], page


def test_script_escapes_what_could_end_or_comment_out_the_block():
    element = script({"a": "</script><!-- & -->"})
    assert element == (
        '<script type="application/ld+json">'
        '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e"}</script>'
    )


def test_date_modified_is_the_day_git_last_changed_the_post(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-share", src)
    when = "2025-05-06T23:30:00+00:00"  # 2025-05-07 in Asia/Shanghai
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run([*GIT, "init", "-q"], cwd=src, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=src, check=True, env=env)
    subprocess.run([*GIT, "commit", "-q", "-m", "posts"], cwd=src, check=True, env=env)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    data = _article(app.outdir, "plain")
    assert (data["datePublished"], data["dateModified"]) == ("2025-03-01T08:30:00+08:00", "2025-05-07")
