"""The excerpt rules, one test per rule, on doctrees parsed from small MyST strings."""

from __future__ import annotations

import textwrap

import pytest
from sphinx.testing.util import SphinxTestApp

from zhiyuan.posts.excerpt import collect_tokens, excerpt, grapheme_count, render_excerpt

CONF = """
extensions = ["myst_parser", "sphinx.ext.doctest"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "substitution"]
language = "zh_CN"
"""

CASES: dict[str, tuple[str, str]] = {
    # 1. starts after the title; headings count as body text
    "title_skipped": ("# 标题\n\n正文第一段。\n\n## 小节标题\n\n第二段。", "正文第一段。 小节标题 第二段。"),
    "english": ("# Title\n\nFirst *para*.\n\n## Section\n\nSecond.", "First para. Section Second."),
    # 2. whitespace collapses
    "whitespace": ("# T\n\n第一行\n第二行   \n\n\n   第三段\t结束", "第一行 第二行 第三段 结束"),
    # 3. placeholders
    "fenced_code": ("# T\n\n看代码：\n\n```python\nprint(1)\n```\n\n完。", "看代码： [代码] 完。"),
    "code_block": ("# T\n\n前\n\n```{code-block} bash\nls -l\n```\n\n后", "前 [代码] 后"),
    "literalinclude": ("# T\n\n前\n\n```{literalinclude} conf.py\n:lines: 1\n```\n\n后", "前 [代码] 后"),
    "doctest": ("# T\n\n前\n\n```{eval-rst}\n>>> 1 + 1\n2\n```\n\n后", "前 [代码] 后"),
    "display_math": ("# T\n\n前\n\n$$\nE = mc^2\n$$\n\n后", "前 [公式] 后"),
    "math_directive": ("# T\n\n前\n\n```{math}\na^2 + b^2 = c^2\n```\n\n后", "前 [公式] 后"),
    "amsmath": ("# T\n\n前\n\n\\begin{align}\nx &= 1\n\\end{align}\n\n后", "前 [公式] 后"),
    "inline_math": ("# T\n\n设$x$为变量，{math}`y` 也是。", "设[Math]为变量，[Math] 也是。"),
    "image": ("# T\n\n前\n\n![一张图](img.png)\n\n后", "前 [图片] 后"),
    "figure": ("# T\n\n前\n\n```{figure} img.png\n图注\n```\n\n后", "前 [图片] 后"),
    "table": ("# T\n\n前\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n后", "前 [表格] 后"),
    # 4. inline markup keeps its text; links lose their URLs
    "inline_markup": (
        "# T\n\n*强调* 与 **加粗** 与 `code` 与 [链接文字](https://example.org/secret)。",
        "强调 与 加粗 与 code 与 链接文字。",
    ),
    "ordered_list": ("# T\n\n步骤：\n\n1. 准备\n2. 训练\n3. 评估", "步骤： 1. 准备 2. 训练 3. 评估"),
    "ordered_list_start": ("# T\n\n3. 第三\n4. 第四", "3. 第三 4. 第四"),
    "bullet_list": ("# T\n\n- 苹果\n- 香蕉\n  - 内层", "苹果 香蕉 内层"),
    "admonition": ("# T\n\n前\n\n:::{note}\n注意这里。\n:::\n\n后", "前 注意这里。 后"),
    "admonition_title": ("# T\n\n:::{admonition} 自定义标题\n正文内容。\n:::", "正文内容。"),
    "comment": ("# T\n\n前\n\n% 这是注释\n\n后", "前 后"),
    "raw_html": ("# T\n\n前\n\n<div>原始 HTML</div>\n\n后", "前 后"),
    "footnote": ("# T\n\n正文[^n]。\n\n[^n]: 脚注内容。", "正文。"),
    "substitution": ("---\nmyst:\n  substitutions:\n    k: 值\n---\n# T\n\n替换{{k}}结束", "替换值结束"),
    "substitution_definition": ("# T\n\n```{eval-rst}\n.. |x| replace:: 定义\n```\n\n正文", "正文"),
    "toctree": ("# T\n\n前\n\n```{toctree}\ntitle_skipped\n```\n\n后", "前 后"),
    "raw_directive": ("# T\n\n```{raw} latex\n\\LaTeX\n```\n\n正文", "正文"),
    # explicit cross-reference text stays; implicit titles are resolved later
    "explicit_ref": ("# T\n\n见 {ref}`这一节 <sec-target>`。\n\n(sec-target)=\n## 目标", "见 这一节。 目标"),
    "implicit_doc": ("# T\n\n见 {doc}`title_skipped`。", "见 title_skipped。"),  # title resolved later
}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    src = tmp_path_factory.mktemp("excerpt") / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    (src / "img.png").write_bytes(b"")
    (src / "index.md").write_text("# 索引\n\n```{toctree}\n:glob:\n*\n```\n")
    for name, (markdown, _) in CASES.items():
        (src / f"{name}.md").write_text(markdown)
    app = SphinxTestApp("dummy", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.env


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule(env, name):
    assert excerpt(env.get_doctree(name)) == CASES[name][1]


def test_implicit_reference_title_is_resolved_by_the_caller(env):
    doctree = env.get_doctree("title_skipped")  # any doc; build the tokens by hand
    tokens = ["见 ", ("ref", "sec-target"), "。"]
    assert render_excerpt(tokens, resolve=lambda kind, target: "目标标题") == "见 目标标题。"
    assert render_excerpt(tokens) == "见 sec-target。"
    assert collect_tokens(doctree)[0] != ("ref", "")


def test_placeholders_are_configurable():
    tokens = ["a ", ("placeholder", "code"), " b ", ("placeholder", "inline_math")]
    assert render_excerpt(tokens, placeholders={"code": "<code>", "inline_math": "$"}) == "a <code> b $"


# 5. length, in user-perceived characters


def test_short_text_is_not_cut():
    text = "字" * 350
    assert render_excerpt([text]) == text


def test_long_text_is_cut_at_350_with_three_dots():
    result = render_excerpt(["字" * 351])
    assert result == "字" * 350 + "..."


def test_trailing_spaces_are_dropped_before_the_dots():
    result = render_excerpt(["a" * 349 + " " + "b" * 10])
    assert result == "a" * 349 + "..."


def test_grapheme_clusters_are_never_split():
    family = "👨‍👩‍👧‍👦"  # one cluster, seven code points
    flag = "🇨🇳"
    accented = "e\u0301"
    text = (family + flag + accented) * 200
    result = render_excerpt([text], limit=10)
    assert result.endswith("...")
    kept = result[:-3]
    assert grapheme_count(kept) == 10
    assert text.startswith(kept)
    assert kept == ((family + flag + accented) * 4)[: len(kept)]
    assert kept.endswith(family) or kept.endswith(flag) or kept.endswith(accented)


def test_placeholder_is_kept_or_dropped_whole():
    tokens = ["字" * 348, ("placeholder", "code")]  # [代码] is 4 characters
    assert render_excerpt(tokens + ["尾"]) == "字" * 348 + "..."
    tokens = ["字" * 346, ("placeholder", "code"), "尾"]
    assert render_excerpt(tokens) == "字" * 346 + "[代码]..."


def test_limit_is_configurable():
    assert render_excerpt(["abcdef"], limit=3) == "abc..."


def test_collection_stops_early_on_long_documents(env, tmp_path):
    doctree = env.get_doctree("english")
    long = doctree.deepcopy()
    from docutils import nodes

    section = long.next_node(nodes.section)
    for _ in range(2000):
        section += nodes.paragraph(text="word " * 50)
    tokens = collect_tokens(long, limit=350)
    assert sum(len(t) for t in tokens if isinstance(t, str)) < 350 * 6
    assert excerpt(long).endswith("...")
