"""Scaffold a new post: ``nox -s new -- "标题" --category "Large Model" --tags a,b [--slug s] [--series id] [--draft]``.

Writes ``posts/<year>/<slug>.md`` with front matter (today's date in the site's
time zone, category, tags, and the series if given), the ``(slug)=`` label and the
title; refuses to overwrite an existing file, or to take a slug another post has in
any year; prints the path and the slug.  The slug is ``--slug``, or made from the
title: pinyin for its Chinese characters (one word per character, without tones),
its Latin words and digits lower-cased (``FlashAttention 3 详解`` ->
``flashattention-3-xiang-jie``).  ``--draft`` leaves the date out: the build treats
an undated post as a draft (:mod:`zhiyuan.posts.frontmatter`) and publishes it once
a ``date`` is added.  Categories and the number of tags follow the site's rules
(:mod:`zhiyuan.posts.schema`), with the build's messages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import runpy
import sys
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from pypinyin import lazy_pinyin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, for zhiyuan.posts.schema
from zhiyuan.posts.schema import SiteRules  # noqa: E402  (pure Python: no Sphinx needed)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DRAFT_NOTE = "# 草稿：没有 date，构建不发布它；发布时加上一行 date: YYYY-MM-DD"


def slug_from_title(title: str) -> str | None:
    """The title in ASCII kebab-case, or None if it has no Chinese character, Latin letter or digit.

    Chinese characters become their pinyin (one word each, no tones, ``ü`` as ``v``, the
    reading of a word where pypinyin knows it: 重要 -> ``zhong-yao``); Latin letters and
    digits are kept, lower-cased, with their accents dropped and full-width forms narrowed.
    """
    words = []
    for piece in lazy_pinyin(unicodedata.normalize("NFKC", title)):
        plain = unicodedata.normalize("NFKD", piece).encode("ascii", "ignore").decode("ascii")
        words += re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words) or None


def site_config(root: Path) -> dict:
    """The namespace of the site's ``docs/conf.py``, whose rules the build checks posts against."""
    return runpy.run_path(str(root / "docs" / "conf.py"))


def site_rules(root: Path) -> SiteRules:
    """The front-matter rules the site's ``docs/conf.py`` sets."""
    return SiteRules.from_config(site_config(root))


def render(title: str, slug: str, date: dt.date | None, category: str, tags: list[str],
           series: str | None = None) -> str:
    """The new post's text; without *date*, a draft."""
    fields = [f"date: {date.isoformat()}" if date else _DRAFT_NOTE, f"category: {category}", f"tags: {', '.join(tags)}"]
    if series:
        fields.append(f"series: {series}")
    return (
        "---\n" + "\n".join(fields) + "\n---\n\n"
        f"({slug})=\n# {title}\n\n开篇一段：这篇文章要解决什么问题，读者能学到什么。\n\n"
        "## 参考文献\n\n"
    )


def create(root: Path, title: str, category: str, tags: list[str], slug: str | None = None,
           today: dt.date | None = None, *, series: str | None = None, draft: bool = False) -> Path:
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
    if series is not None and not _SLUG.match(series):
        raise ValueError(f"series {series!r} must be an id in lowercase kebab-case (e.g. rl-foundations)")
    slug = slug or slug_from_title(title)
    if not slug:
        raise ValueError("the title has no Chinese characters, letters or digits to make a slug from: "
                         "pass --slug in-english-kebab-case")
    if not _SLUG.match(slug):
        raise ValueError(f"slug {slug!r} must be lowercase English kebab-case (e.g. flash-attention)")
    today = today or dt.datetime.now(ZoneInfo(rules.timezone)).date()
    path = root / "posts" / str(today.year) / f"{slug}.md"
    existing = sorted((root / "posts").glob(f"*/{slug}.md"))
    if existing:
        raise ValueError(f"{existing[0].relative_to(root)} already exists; choose another --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # never overwrite, even in a race
        file.write(render(title, slug, None if draft else today, category, tags, series))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s new --", description="Create a new post.")
    parser.add_argument("title")
    parser.add_argument("--category", required=True, help="one of the categories docs/conf.py lists")
    parser.add_argument("--tags", required=True, help="comma-separated, e.g. llm,rlhf")
    parser.add_argument("--slug", help="English kebab-case; default: from the title (pinyin, Latin words)")
    parser.add_argument("--series", help="the id of a series the post belongs to, e.g. rl-foundations")
    parser.add_argument("--draft", action="store_true", help="no date: the build leaves the post out until it has one")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[3]  # _ext/zhiyuan/tools/ -> the repository
    try:
        path = create(root, args.title, args.category, args.tags.split(","), args.slug,
                      series=args.series, draft=args.draft)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(path.relative_to(root))
    print(f"slug: {path.stem}" + ("" if args.slug else " (from the title; --slug chooses another)"))
    if args.draft:
        print("draft: no date, so the build leaves it out; add `date: YYYY-MM-DD` to publish it")
    if args.series and args.series not in site_config(root).get("post_extras_series_titles", {}):
        print(f"series: {args.series!r} has no title in post_extras_series_titles (docs/conf.py); "
              "readers see the id until it has one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
