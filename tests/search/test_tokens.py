"""The index's terms (_ext/zhiyuan/search/tokens.py) and the browser's (static/zhiyuan-search.js),
which must be the same for the same text: the script is run in Node.js on the same texts."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiyuan.search.tokens import fnv1a, shard_key, terms

from helpers import REPO

SCRIPT = REPO / "_ext/zhiyuan/search/static/zhiyuan-search.js"


@pytest.mark.parametrize(("text", "expected"), [
    ("优势函数", ["优势", "势函", "函数"]),
    ("树", ["树"]),
    ("nn.functional", ["nn.functional", "nn", "functional"]),
    ("torch.nn.functional", ["torch.nn.functional", "torch", "nn", "functional", "nn.functional"]),
    ("ZeRO-3", ["zero-3", "zero", "zero3"]),
    ("cu_seqlens", ["cu_seqlens", "cu", "seqlens"]),
    ("__init__", ["__init__", "init"]),
    ("bf16 与 BF16", ["bf16", "bf16", "与"]),
    ("Robbins–Monro", ["robbins-monro", "robbins", "monro", "robbinsmonro"]),
    ("ＧＰＵ显存", ["gpu", "显存"]),  # full-width letters
    ("x = 1", []),  # one-letter terms are left out
])
def test_terms(text, expected):
    assert terms(text) == expected


def test_a_term_and_every_longer_term_that_starts_with_it_share_a_shard():
    assert shard_key("检查点") == shard_key("检查") == "检"
    assert shard_key("checkpoint") == shard_key("ch") == "ch"
    assert fnv1a("检") != fnv1a("查")


_NODE = shutil.which("node") or "node"  # installed with npm, which the site's assets need
_TEXT = st.text(st.sampled_from(list("梯度检查点优势函数的 .-_–ＡＢabcXYZ019\n显存（）")), max_size=40)


@settings(max_examples=1, deadline=None)
@given(texts=st.lists(_TEXT, min_size=200, max_size=200))
def test_the_browser_makes_the_same_terms_and_shards(texts):
    program = (
        f"const s = require({json.dumps(str(SCRIPT))});"
        "const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(texts.map((t) => [s.terms(t), s.terms(t).map((w) => s.fnv1a(s.shardKey(w)))])));"
    )
    result = subprocess.run([_NODE, "-e", program], input=json.dumps(texts), capture_output=True, text=True,
                            check=True)
    browser = json.loads(result.stdout)
    assert browser == [[terms(t), [fnv1a(shard_key(w)) for w in terms(t)]] for t in texts]
