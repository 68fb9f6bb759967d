"""What the index takes from a doctree (_ext/zhiyuan/search/documents.py), on small doctrees."""

from __future__ import annotations

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from zhiyuan.search.documents import FORMULA, GlossaryEntry, Section, anchor_of, search_document


def _section(ids: list[str], title: str, *children: nodes.Node) -> nodes.section:
    return nodes.section("", nodes.title(title, title), *children, ids=ids)


def _document(*children: nodes.Node) -> nodes.document:
    document = new_document("<test>", get_default_settings(Parser))
    document += list(children)
    return document


def test_sections_with_their_own_text_code_apart_formulas_left_out():
    document = _document(_section(
        ["top", "id1"], "标题",
        nodes.paragraph("", "", nodes.Text("开头的话，"), nodes.math("", "a^2"), nodes.Text("公式之后。")),
        nodes.literal_block("", "print('代码')"),
        _section(["id2", "为什么"], "为什么", nodes.paragraph("", "原因一。"), nodes.bullet_list(
            "", nodes.list_item("", nodes.paragraph("", "第一条")), nodes.list_item("", nodes.paragraph("", "第二条")))),
        nodes.comment("", "注释不算"),
    ))
    assert search_document(document).sections == (
        Section("", "标题", f"开头的话， {FORMULA} 公式之后。", "print('代码')"),
        Section("为什么", "为什么", "原因一。 第一条 第二条"),
    )


def test_the_readable_anchor_is_preferred_to_a_numbered_one():
    assert anchor_of(nodes.section(ids=["id3", "确定性策略梯度定理"])) == "确定性策略梯度定理"
    assert anchor_of(nodes.section(ids=["ddpg", "id1"])) == "ddpg"
    assert anchor_of(nodes.section(ids=["id4"])) == "id4"
    # the first id, as readable_anchors ordered it (the slug of a mixed title before docutils' id)
    assert anchor_of(nodes.section(ids=["安装-postgresql", "postgresql"])) == "安装-postgresql"
    assert anchor_of(nodes.section()) == ""


def test_a_glossary_entry_with_its_terms_definition_and_targets():
    xref = addnodes.pending_xref("", nodes.inline("", "dpo"), refdomain="std", reftype="ref", reftarget="dpo")
    entry = nodes.definition_list_item(
        "",
        nodes.term("", "直接偏好优化", ids=["term-0"]),
        nodes.term("", "Direct Preference Optimization (DPO)", ids=["term-1"]),
        nodes.definition("", nodes.paragraph("", "", nodes.Text("不训练奖励模型。详见 "), xref, nodes.Text("。"))),
    )
    glossary = addnodes.glossary("", nodes.definition_list("", entry))
    document = _document(_section(["glossary"], "术语表", glossary))
    found = search_document(document)
    assert found.glossary == (GlossaryEntry(
        anchor="term-0", terms=("直接偏好优化", "Direct Preference Optimization (DPO)"),
        definition="不训练奖励模型。详见 dpo。", targets=("dpo",)),)
    # the page's top has no text of its own; each entry is a section a result can point at
    assert found.sections == (
        Section("", "术语表", ""),
        Section("term-0", "直接偏好优化 / Direct Preference Optimization (DPO)", "不训练奖励模型。详见 dpo。"),
    )
