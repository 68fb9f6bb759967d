"""`nox -s new` scaffolds a post that the site accepts, and never overwrites one."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

from zhiyuan.posts.schema import SiteRules

from helpers import REPO

SCRIPT = "_ext/zhiyuan/tools/new_post.py"


def _repo_with_the_script(tmp_path, conf: str | None = None):
    """A repository holding only our package (the scaffold and the front-matter rules it shares
    with the build) and the site's configuration (or *conf*)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    if conf is None:
        shutil.copy(REPO / "docs" / "conf.py", root / "docs" / "conf.py")
    else:
        (root / "docs" / "conf.py").write_text(conf, encoding="utf-8")
    return root


def _run(root, *args):
    return subprocess.run([sys.executable, str(root / SCRIPT), *args], capture_output=True, text=True, cwd=root)


def test_creates_a_post_with_front_matter_label_and_title(tmp_path):
    root = _repo_with_the_script(tmp_path)
    result = _run(root, "FlashAttention 3 详解", "--category", "Large Model", "--tags", "Attention, llm")
    assert result.returncode == 0, result.stderr
    relative = result.stdout.strip()
    year = relative.split("/")[1]
    assert relative == f"posts/{year}/flashattention-3.md"
    text = (root / relative).read_text(encoding="utf-8")
    assert text.startswith(f"---\ndate: {year}-")
    date = dt.date.fromisoformat(text.split("\n")[1].split(": ")[1])
    assert abs((date - dt.date.today()).days) <= 1
    assert "category: Large Model\ntags: attention, llm\n---\n\n(flashattention-3)=\n# FlashAttention 3 详解\n" in text

    again = _run(root, "FlashAttention 3 详解", "--category", "Large Model", "--tags", "llm")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert (root / relative).read_text(encoding="utf-8") == text


def test_chinese_only_title_needs_a_slug(tmp_path):
    root = _repo_with_the_script(tmp_path)
    failed = _run(root, "强化学习入门", "--category", "Reinforcement Learning", "--tags", "rl")
    assert failed.returncode == 1 and "--slug" in failed.stderr
    ok = _run(root, "强化学习入门", "--category", "Reinforcement Learning", "--tags", "rl", "--slug", "rl-intro")
    assert ok.returncode == 0 and ok.stdout.strip().endswith("/rl-intro.md")
    bad = _run(root, "标题", "--category", "Python", "--tags", "x", "--slug", "Not_Kebab")
    assert bad.returncode == 1 and "kebab-case" in bad.stderr


def test_the_categories_and_the_tag_limit_are_the_sites(tmp_path):
    """`nox -s new` takes the categories and the tag limit from docs/conf.py, as the build does."""
    root = _repo_with_the_script(tmp_path, 'post_frontmatter_categories = ["随笔"]\npost_frontmatter_max_tags = 2\n')
    refused = _run(root, "Note on Python", "--category", "Python", "--tags", "a")
    rules = SiteRules(categories=("随笔",), max_tags=2)
    assert refused.returncode == 1 and rules.category_problems(("Python",))[0] in refused.stderr
    assert "is not one of the site's categories (随笔)" in refused.stderr
    too_many = _run(root, "Note on Python", "--category", "随笔", "--tags", "a,b,c")
    assert too_many.returncode == 1 and rules.tags_problem(("a", "b", "c")) in too_many.stderr
    assert "3 tags; a post has at most 2" in too_many.stderr
    none = _run(root, "Note on Python", "--category", "随笔", "--tags", " , ")
    assert none.returncode == 1 and "at least one tag" in none.stderr
    ok = _run(root, "Note on Python", "--category", "随笔", "--tags", "a,b")
    assert ok.returncode == 0, ok.stderr
