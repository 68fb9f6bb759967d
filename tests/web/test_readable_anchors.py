"""Readable anchors for Chinese headings (_ext/zhiyuan/web/readable_anchors.py): the page TOC,
the permalinks and links use MyST's slug; the numbered id still works."""

from __future__ import annotations

import shutil
from urllib.parse import unquote

import pytest

from zhiyuan.web.readable_anchors import readable_first

from helpers import build, soup


@pytest.mark.parametrize(("ids", "expected"), [
    (["id2", "为什么需要确定性策略"], ["为什么需要确定性策略", "id2"]),
    (["ddpg", "id1", "ddpg确定性策略"], ["ddpg", "id1", "ddpg确定性策略"]),  # an explicit label stays first
    (["ascii-title"], ["ascii-title"]),
    (["id4"], ["id4"]),
    ([], []),
])
def test_readable_first(ids, expected):
    assert readable_first(ids) == expected


def test_the_toc_the_permalinks_and_links_use_the_readable_id(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-anchors", src)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    page = soup(app.outdir / "index.html")
    sections = page.select("article section section")
    assert [section["id"] for section in sections] == ["为什么需要确定性策略", "为什么需要确定性策略-1", "labelled", "ascii-title"]
    # the numbered ids stay, for links made before
    assert page.select_one("section#为什么需要确定性策略 > span#id2") is not None
    for section in sections:
        assert unquote(section.select_one("a.headerlink")["href"]) == "#" + section["id"]
    toc = [unquote(a["href"]) for a in page.select(".bd-toc a.nav-link")]
    assert toc == ["#为什么需要确定性策略", "#为什么需要确定性策略-1", "#labelled", "#ascii-title"]
    other = soup(app.outdir / "other.html")
    assert [unquote(a["href"]) for a in other.select("article a.reference.internal")] == [
        "index.html#labelled", "index.html#为什么需要确定性策略"]
