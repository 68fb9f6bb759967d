"""Property tests of the excerpt on random documents."""

from __future__ import annotations

from html import escape

from bs4 import BeautifulSoup
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiyuan.posts.excerpt import ELLIPSIS, excerpt, grapheme_count, render_excerpt

# Text mixing CJK, Latin, whitespace, markup-looking characters, emoji ZWJ
# sequences, regional-indicator flags and combining marks.
PIECES = st.sampled_from(
    ["梯度", "强化学习", "word", " ", "\n", "\t", "<script>", '" onmouseover="', "&amp;", "👨‍👩‍👧",
     "🇨🇳", "🇯🇵", "e\u0301", "\u0301", "ก\u0e31", "한", "[代码]", "...", "x"]
)
TEXT = st.lists(PIECES, min_size=0, max_size=40).map("".join)


@st.composite
def documents(draw):
    document = new_document("<random>", get_default_settings(Parser))
    section = nodes.section(ids=["s"])
    section += nodes.title(text=draw(TEXT) or "title")
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["para", "code", "math", "inline", "heading"]))
        if kind == "para":
            section += nodes.paragraph(text=draw(TEXT))
        elif kind == "code":
            section += nodes.literal_block(text=draw(TEXT))
        elif kind == "math":
            section += nodes.math_block(text="x^2")
        elif kind == "inline":
            para = nodes.paragraph()
            para += nodes.Text(draw(TEXT))
            para += nodes.math(text="y")
            para += nodes.Text(draw(TEXT))
            section += para
        else:
            sub = nodes.section(ids=["t"])
            sub += nodes.title(text=draw(TEXT) or "h")
            section += sub
    document += section
    return document


def _full_text(document) -> str:
    return excerpt(document, limit=10**9)


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(min_value=1, max_value=400))
def test_never_longer_than_the_limit_plus_dots(document, limit):
    result, full = excerpt(document, limit=limit), _full_text(document)
    if grapheme_count(full) <= limit:  # fits: uncut (a text may end with dots of its own)
        assert result == full
    else:
        assert result.endswith(ELLIPSIS)
        assert grapheme_count(result[: -len(ELLIPSIS)]) <= limit


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(min_value=1, max_value=120))
def test_cut_is_a_prefix_at_a_cluster_boundary(document, limit):
    full = _full_text(document)
    result = excerpt(document, limit=limit)
    if result == full:
        return
    assert result.endswith(ELLIPSIS)
    kept = result[: -len(ELLIPSIS)]
    assert full.startswith(kept)
    # the kept part ends where a cluster of the full text ends
    assert grapheme_count(kept) + grapheme_count(full[len(kept):]) == grapheme_count(full)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=60))
def test_placeholders_are_never_cut(text, limit):
    tokens = [text, ("placeholder", "display_math"), text, ("placeholder", "code")]
    result = render_excerpt(tokens, limit=limit)
    for fragment in ("[公", "[代"):
        start = result.find(fragment)
        while start != -1:
            assert result[start:].startswith(("[公式]", "[代码]")) or fragment in text
            start = result.find(fragment, start + 1)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_escaped_excerpt_reads_back_as_the_same_text(document):
    result = excerpt(document)
    page = BeautifulSoup(f'<p class="x">{escape(result)}</p><meta content="{escape(result, quote=True)}">',
                         "html.parser")
    assert page.select_one("p.x").get_text() == result
    assert page.select_one("meta")["content"] == result
    assert page.select("script") == []
