"""The articles themselves: front matter, length, labels, and code that compiles and runs."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from articles import POSTS, PYTHON, code_blocks, prose_characters
from helpers import REPO

sys.path.insert(0, str(REPO / "_ext"))
from post_frontmatter import read_front_matter  # noqa: E402

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
RUNNABLE = [
    (block, blocks[i + 1] if i + 1 < len(blocks) else None)
    for p in POSTS
    for blocks in [code_blocks(p)]
    for i, block in enumerate(blocks)
    if "runnable" in block.classes
]


def test_there_is_code_to_check():
    assert len(PYTHON_BLOCKS) >= 33
    assert len(RUNNABLE) >= 20


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=str)
def test_python_block_compiles(block):
    compile(block.code, str(block), "exec")


@pytest.mark.parametrize("block,output", RUNNABLE, ids=lambda v: str(v) if v is not None else "")
def test_runnable_block_prints_what_the_article_shows(block, output, tmp_path):
    assert output is not None and "runnable-output" in output.classes, f"{block}: no runnable-output block follows"
    result = subprocess.run(
        [sys.executable, "-c", block.code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip() == output.code.rstrip()
