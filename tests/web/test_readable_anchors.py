"""Readable anchors for Chinese headings (_ext/zhiyuan/web/readable_anchors.py): the page TOC,
the permalinks and links use MyST's slug; the numbered id still works."""

from __future__ import annotations

import shutil
from urllib.parse import unquote

import pytest

from zhiyuan.web.readable_anchors import readable_first

from helpers import build, soup


@pytest.mark.parametrize(("ids", "title_id", "expected"), [
    (["id2", "为什么需要确定性策略"], "", ["为什么需要确定性策略", "id2"]),
    # docutils kept only the Latin words of a mixed title: MyST's slug of the whole title first
    (["postgresql-pgvector", "安装-postgresql-与-pgvector"], "postgresql-pgvector",
     ["安装-postgresql-与-pgvector", "postgresql-pgvector"]),
    (["ddpg", "id1", "ddpg确定性策略"], "id1", ["ddpg", "id1", "ddpg确定性策略"]),  # an explicit label stays first
    (["ascii-title"], "ascii-title", ["ascii-title"]),
    (["id4"], "", ["id4"]),
    ([], "", []),
])
def test_readable_first(ids, title_id, expected):
    assert readable_first(ids, title_id) == expected


def test_the_toc_the_permalinks_and_links_use_the_readable_id(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-anchors", src)
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    page = soup(app.outdir / "index.html")
    sections = page.select("article section section")
    assert [section["id"] for section in sections] == [
        "为什么需要确定性策略", "为什么需要确定性策略-1", "labelled", "ascii-title", "安装-postgresql-与-pgvector"]
    # the numbered ids stay, for links made before
    assert page.select_one("section#为什么需要确定性策略 > span#id2") is not None
    assert page.select_one("section#安装-postgresql-与-pgvector > span#postgresql-pgvector") is not None
    for section in sections:
        assert unquote(section.select_one("a.headerlink")["href"]) == "#" + section["id"]
    toc = [unquote(a["href"]) for a in page.select(".bd-toc a.nav-link")]
    assert toc == ["#为什么需要确定性策略", "#为什么需要确定性策略-1", "#labelled", "#ascii-title",
                   "#安装-postgresql-与-pgvector"]
    other = soup(app.outdir / "other.html")
    assert [unquote(a["href"]) for a in other.select("article a.reference.internal")] == [
        "index.html#labelled", "index.html#为什么需要确定性策略", "index.html#安装-postgresql-与-pgvector"]
