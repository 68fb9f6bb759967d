"""The articles themselves: front matter, length, labels, and every Python block run as a reader
would run it, its printed output compared under two sets of numerical kernels."""

from __future__ import annotations

import datetime as dt
import platform
import sys

import pytest

from articles import (
    BLOCK_CLASSES,
    NOT_RUN_REASONS,
    POSTS,
    PYCON,
    PYTHON,
    blas_kernel,
    code_blocks,
    not_run_reason,
    other_kernels_env,
    output_block,
    problems,
    program,
    prose_characters,
    python_blocks,
    run_block,
)
from helpers import REPO

sys.path.insert(0, str(REPO / "_ext"))
from zhiyuan.posts.frontmatter import read_front_matter  # noqa: E402

CATEGORIES = {"Python", "Large Model", "Reinforcement Learning", "Machine Learning"}
TODAY = dt.date.today()


def _meta(path):
    return read_front_matter(path.read_text(encoding="utf-8"))


def test_the_full_article_set_is_there():
    assert len(POSTS) >= 33


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_front_matter(path):
    meta = _meta(path)
    date = meta["date"]
    assert isinstance(date, dt.date)
    assert dt.date(2025, 1, 1) <= date <= TODAY
    assert path.parent.name == str(date.year)
    assert meta["category"] in CATEGORIES
    tags = [t.strip() for t in meta["tags"].split(",")]
    assert 2 <= len(tags) <= 5
    assert all(t == t.lower() and " " not in t for t in tags)


def test_dates_are_distinct():
    dates = [_meta(p)["date"] for p in POSTS]
    assert len(set(dates)) == len(dates)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_label_equal_to_slug_on_the_title(path):
    lines = [line for line in path.read_text(encoding="utf-8").split("\n")]
    start = lines.index("---", 1) + 1
    body = [line for line in lines[start:] if line.strip()]
    assert body[0] == f"({path.stem})="
    assert body[1].startswith("# ")
    assert path.stem == path.stem.lower() and " " not in path.stem


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_at_least_2000_chinese_characters_of_prose(path):
    assert prose_characters(path) >= 2000


PYTHON_BLOCKS = [b for p in POSTS for b in code_blocks(p) if b.language in PYTHON]
SESSIONS = [b for p in POSTS for b in python_blocks(p) if b.language in PYCON]
RUN = [b for p in POSTS for b in python_blocks(p) if not not_run_reason(b)]
RUNNABLE = [b for b in RUN if "runnable" in b.classes]


def test_there_is_code_to_check():
    assert len(PYTHON_BLOCKS) >= 100
    assert len(RUNNABLE) >= 50
    assert len(SESSIONS) >= 5


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=str)
def test_python_block_compiles(block):
    compile(block.code, str(block), "exec")


@pytest.mark.parametrize("block", [*PYTHON_BLOCKS, *SESSIONS], ids=str)
def test_every_python_block_runs_or_says_why_not(block):
    unknown = set(block.classes) - BLOCK_CLASSES
    assert not unknown, f"{block}: unknown classes {sorted(unknown)}; known: {sorted(BLOCK_CLASSES)}"
    reasons = [c for c in block.classes if c in NOT_RUN_REASONS]
    assert len(reasons) <= 1, f"{block}: one reason not to run it, not {reasons}"
    assert not (reasons and "runnable" in block.classes), f"{block}: runnable, yet {reasons[0]}"


def test_the_second_run_uses_other_kernels():
    """Where NumPy runs on OpenBLAS with a choice of kernels (x86-64), the second run takes another."""
    env = other_kernels_env()
    assert env["ATEN_CPU_CAPABILITY"] == "default" and env["OMP_NUM_THREADS"] == "1"
    assert env["ONEDNN_MAX_CPU_ISA"] == "AVX2"
    if platform.machine() in ("x86_64", "AMD64"):
        other = blas_kernel(env.get("OPENBLAS_CORETYPE"))
        assert other is not None and other != blas_kernel(None), "no other OpenBLAS kernel could be chosen"


@pytest.mark.parametrize("block", RUN, ids=str)
def test_python_block_runs_and_prints_what_the_article_shows(block, tmp_path):
    """Each block runs as a script (pycon: as a doctest); a ``runnable`` one prints what the
    ``runnable-output`` block after it shows, under the machine's kernels and under others."""
    found = problems(block, run_block(block, tmp_path))
    assert not found, "\n\n".join(found)


def test_a_continuing_block_shows_only_what_it_prints_itself(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(
        "# t\n\n```python\nx = 2\nprint('first')\n```\n\n"
        "```{code-block} python\n:class: runnable continues\n\nprint(x * 21)\n```\n\n"
        "```{code-block} text\n:class: runnable-output\n\n42\n```\n", encoding="utf-8")
    first, second = python_blocks(post)
    assert program(first).strip() == "x = 2\nprint('first')"
    results = run_block(second, tmp_path)
    assert [r.stdout for r in results] == ["42\n", "42\n"]
    assert output_block(second).code.strip() == "42"
