"""ablog's post lists with ``:excerpts:`` show the site's excerpts (ablog's own are not kept)."""

from __future__ import annotations

import pytest

from helpers import soup


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("postlist", freshenv=True)


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_post_list_excerpts_are_the_site_excerpts(app):
    excerpts = {
        item.select_one("a").get_text(strip=True): item.select_one(".ablog-post-excerpt").get_text(" ", strip=True)
        for item in soup(app.outdir / "index.html").select("ul.postlist > li")
    }
    assert excerpts == {"第二篇": "第二篇只有文字。", "第一篇": "第一篇的开头，先看一段代码： [代码] 然后是结尾。"}


def test_the_environment_keeps_no_excerpt_of_its_own_for_posts(app):
    assert [info["excerpt"] for infos in app.env.ablog_posts.values() for info in infos] == [[], []]
