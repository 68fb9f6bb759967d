"""A copy of the site without its articles, and the three fixture blogs imported into it with
``nox -s import``'s script: for the importer's tests (``tests/tools/``) and its redirects in
Chromium (``tests/browser/``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = "_ext/zhiyuan/tools/import_posts.py"
FIXTURES = REPO / "tests" / "tools" / "import_fixtures"

#: the site's category for each blog's own, as a user would pass them
CATEGORY_MAPS = {
    "jekyll": ["--map-category", "机器学习=Machine Learning", "--map-category", "强化学习=Reinforcement Learning"],
    "hexo": ["--map-category", "机器学习=Machine Learning", "--map-category", "工具=Python"],
    "hugo": ["--map-category", "大模型=Large Model", "--map-category", "机器学习=Machine Learning"],
}


def empty_site(folder: Path) -> Path:
    """The site's code, configuration and a home page, with no posts: a repository as the importer
    finds it (``node_modules`` linked, as in a worktree)."""
    root = folder / "repo"
    shutil.copytree(REPO / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    shutil.copy(REPO / "docs" / "conf.py", root / "docs" / "conf.py")
    shutil.copytree(REPO / "docs" / "_static", root / "docs" / "_static")
    (root / "docs" / "_templates").mkdir()
    (root / "docs" / "index.md").write_text(
        "# 首页\n\n```{latest-updates}\n```\n\n```{toctree}\n:hidden:\n\nabout\n```\n", encoding="utf-8")
    (root / "docs" / "about.md").write_text("# 关于\n\n这是测试用的站点。\n", encoding="utf-8")
    (root / "posts").mkdir()
    (root / "docs" / "posts").symlink_to(Path("..", "posts"), target_is_directory=True)
    (root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    return root


def run_import(root: Path, source: Path, engine: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``nox -s import -- SOURCE --from ENGINE OPTIONS`` in the repository *root*."""
    return subprocess.run([sys.executable, str(root / SCRIPT), str(source), "--from", engine, *options],
                          capture_output=True, text=True, cwd=root)


def import_fixtures(root: Path, *options: str) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each fixture blog imported into *root*, by engine."""
    return {engine: run_import(root, FIXTURES / engine, engine, *CATEGORY_MAPS[engine], *options)
            for engine in ("jekyll", "hexo", "hugo")}
