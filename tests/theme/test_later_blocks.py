"""zhiyuan.theme.later_blocks: the blocks of a page's sections past its first characters of
text are marked to be laid out near the screen; the first screen's blocks never are."""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree

from zhiyuan.theme.later_blocks import LATER, mark_later_blocks

from helpers import soup

PAGE = """\
标题
====

一二三四五六七八九十

第一节
------

一二三四五六七八九十

- 列表一二三四五六七八九十

第二节
------

一二三四五六七八九十

.. note::

   注意一二三四五六七八九十

::

   print("代码")
"""


def _marked(doctree: nodes.Node) -> list[str]:
    return [node.astext()[:4] for node in doctree.findall(nodes.Element) if LATER in node["classes"]]


def test_blocks_after_so_many_characters_are_marked_and_those_before_are_not():
    doctree = publish_doctree(PAGE)
    # 标题 2, then 10 + 第一节 3 + 10 = 25 before the list, 33 before the second section's paragraph
    assert mark_later_blocks(doctree, 25) == 3
    assert _marked(doctree) == ["列表一二", "一二三四", 'prin']


def test_what_is_not_directly_in_a_section_is_not_marked():
    doctree = publish_doctree(PAGE)
    mark_later_blocks(doctree, 0)
    # the note is no block marked, nor the paragraphs in it and in the list item; docutils makes the
    # first heading the document's title, so the first paragraph lies in no section
    assert not [node for node in doctree.findall(nodes.paragraph)
                if LATER in node["classes"] and not isinstance(node.parent, nodes.section)]
    assert _marked(doctree) == ["一二三四", "列表一二", "一二三四", "prin"]


def test_a_short_page_has_no_later_block():
    doctree = publish_doctree(PAGE)
    assert mark_later_blocks(doctree, 10_000) == 0
    assert _marked(doctree) == []


def test_the_site_marks_the_later_blocks_of_a_long_post_and_its_sheet_holds_them_back(site):
    from helpers import math_and_code_post

    page = soup(site / math_and_code_post(site))
    later = page.select(f"article .{LATER}")
    assert later and page.select(f"article p.{LATER}") and page.select(f"article div.math.{LATER}")
    # the first screen is never held back: the first paragraphs of the article are not marked
    first = page.select("article section > p")[:3]
    assert first and not any(LATER in paragraph.get("class", []) for paragraph in first)
    sheet = (site / "_static" / "zhiyuan.css").read_text(encoding="utf-8")
    assert f".bd-article .{LATER}{{content-visibility: auto;" in sheet.replace(" {", "{")
