"""Scaffold a new post: ``nox -s new -- "标题" --category "Large Model" --tags a,b [--slug s]``.

Writes ``posts/<year>/<slug>.md`` with front matter (today's date in the site's
time zone, category, tags), the ``(slug)=`` label and the title; refuses to
overwrite an existing file; prints the path.  The slug is ``--slug`` or the
title's Latin words in kebab-case; a title without any (an all-Chinese one)
needs ``--slug``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import runpy
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, for zhiyuan.posts.schema
from zhiyuan.posts.schema import SiteRules  # noqa: E402  (pure Python: no Sphinx needed)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_from_title(title: str) -> str | None:
    """Kebab-case of the title's Latin letters and digits, or None if it has none."""
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "-".join(word.lower() for word in words) or None


def site_rules(root: Path) -> SiteRules:
    """The front-matter rules the site's ``docs/conf.py`` sets, which the build checks posts against."""
    return SiteRules.from_config(runpy.run_path(str(root / "docs" / "conf.py")))


def render(title: str, slug: str, date: dt.date, category: str, tags: list[str]) -> str:
    return (
        f"---\ndate: {date.isoformat()}\ncategory: {category}\ntags: {', '.join(tags)}\n---\n\n"
        f"({slug})=\n# {title}\n\n开篇一段：这篇文章要解决什么问题，读者能学到什么。\n\n"
        "## 参考文献\n\n"
    )


def create(root: Path, title: str, category: str, tags: list[str], slug: str | None = None,
           today: dt.date | None = None) -> Path:
    """Write the new post under *root*/posts and return its path; raise ValueError on bad input."""
    rules = site_rules(root)
    title = title.strip()
    if not title:
        raise ValueError("the title is empty")
    for problem in rules.category_problems((category,)):
        raise ValueError(problem)
    tags = [tag.strip().lower() for tag in tags if tag.strip()]
    problem = rules.tags_problem(tuple(tags)) or (None if tags else "give at least one tag (--tags llm,rlhf)")
    if problem:
        raise ValueError(problem)
    slug = slug or slug_from_title(title)
    if not slug:
        raise ValueError("the title has no Latin words to make a slug from: pass --slug in-english-kebab-case")
    if not _SLUG.match(slug):
        raise ValueError(f"slug {slug!r} must be lowercase English kebab-case (e.g. flash-attention)")
    today = today or dt.datetime.now(ZoneInfo(rules.timezone)).date()
    path = root / "posts" / str(today.year) / f"{slug}.md"
    existing = sorted((root / "posts").glob(f"*/{slug}.md"))
    if existing:
        raise ValueError(f"{existing[0].relative_to(root)} already exists; choose another --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # never overwrite, even in a race
        file.write(render(title, slug, today, category, tags))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s new --", description="Create a new post.")
    parser.add_argument("title")
    parser.add_argument("--category", required=True, help="one of the categories docs/conf.py lists")
    parser.add_argument("--tags", required=True, help="comma-separated, e.g. llm,rlhf")
    parser.add_argument("--slug", help="English kebab-case; default: from the title's Latin words")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[3]  # _ext/zhiyuan/tools/ -> the repository
    try:
        path = create(root, args.title, args.category, args.tags.split(","), args.slug)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(path.relative_to(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
