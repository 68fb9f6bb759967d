"""The whole import: plan every post, refuse what would overwrite, write the rest, report.

Every post is planned before anything is written — its slug, folder, front matter, body and
the files it brings — because a post's links to the others need their labels.  A post is
refused, and nothing of it written, when its file exists, when another post of any year has
its slug (as ``nox -s new`` refuses), when another imported post took the slug first, when its
label is taken by another page, or when one of its images would replace a different file.
With ``dry_run`` nothing at all is written; the report is the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from zhiyuan.posts.schema import SiteRules
from zhiyuan.tools.importer.engines import Site, SourcePost, find_posts, load_site, old_addresses
from zhiyuan.tools.importer.fields import Fields, map_fields, render
from zhiyuan.tools.importer.markdown import BodyConverter, PostIndex, first_heading
from zhiyuan.tools.importer.tex import Checker
from zhiyuan.tools.new_post import site_config, slug_from_title


@dataclass
class PostResult:
    """One post: where it came from and goes, what changed, what a person must look at."""

    source: str
    target: str | None
    slug: str | None
    draft: str | None = None
    redirect: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    refused: str | None = None
    #: what is written: path -> text (posts) or source file (images)
    writes: dict[Path, str | Path] = field(default_factory=dict)


@dataclass
class ImportResult:
    site: Site
    dry_run: bool
    posts: list[PostResult]
    unreadable: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not any(post.refused for post in self.posts)


def _slug(post: SourcePost, title: str | None) -> str | None:
    """From the file (or bundle) name when it is ASCII, else from the title, as ``nox -s new`` makes it."""
    name = unicodedata.normalize("NFKC", post.name.rsplit("/", 1)[-1])
    if name.isascii() and (slug := slug_from_title(name)):
        return slug
    return slug_from_title(title or name)


_LABEL = re.compile(r"^\(([^()\s]+)\)=[ \t]*$", re.M)


def _labels(repo: Path) -> dict[str, str]:
    """Every ``(label)=`` of the site's Markdown, with the file it is in."""
    found = {}
    for path in sorted([*(repo / "docs").rglob("*.md"), *(repo / "posts").rglob("*.md")]):
        if "_build" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for label in _LABEL.findall(text):
            found.setdefault(label.lower(), path.relative_to(repo).as_posix())
    return found


def _line_of(text: str, needle: str | None) -> int | None:
    if not needle:
        return None
    at = text.find(needle)
    if at < 0:
        at = text.find(needle.strip())
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def import_blog(repo: Path, source: Path, engine: str, *, dry_run: bool = False,
                category_map: dict[str, str] | None = None, today: dt.date | None = None,
                check_formulas: bool = True) -> ImportResult:
    """Import the *engine* blog in *source* into the site in *repo*; SourceError when it is not one."""
    config = site_config(repo)
    rules = SiteRules.from_config(config)
    site_tz = ZoneInfo(rules.timezone)
    today = today or dt.datetime.now(site_tz).date()
    site = load_site(source, engine, site_tz)
    posts, unreadable = find_posts(site)
    anchor_depth = int(config.get("myst_heading_anchors", 0) or 0)
    checker = Checker(dict(config.get("katex_ssr_macros", {}) or {})) if check_formulas else None

    # 1. every post's fields, title, slug and old addresses
    planned: list[tuple[SourcePost, Fields, str | None, PostResult]] = []
    index = PostIndex()
    for post in posts:
        fields = map_fields(post, rules, site_tz, category_map or {}, today)
        title = fields.title or first_heading(post.body)
        slug = _slug(post, title)
        result = PostResult(post.relative, None, slug, fields.draft)
        if fields.draft is None:
            fields.redirect, problems = old_addresses(post, title or post.name, fields.categories_as_written,
                                                      fields.source_date)
            result.needs += problems
        planned.append((post, fields, title, result))
        if slug:
            index.add(slug, post, fields.redirect)

    # 2. refusals, then each post's text
    labels = _labels(repo)
    taken: dict[str, str] = {}
    for post, fields, title, result in planned:
        slug = result.slug
        if slug is None:
            result.refused = "neither its file name nor its title gives a slug (no letters or digits)"
            continue
        target = repo / "posts" / str(fields.year) / f"{slug}.md"
        result.target = target.relative_to(repo).as_posix()
        existing = sorted((repo / "posts").glob(f"*/{slug}.md"))
        if existing:
            result.refused = (f"{existing[0].relative_to(repo).as_posix()} already exists; the post is not imported "
                              "(rename or move one of them)")
            continue
        if slug in taken:
            result.refused = f"{taken[slug]} has the same slug ({slug}) and was taken first"
            continue
        if slug.lower() in labels:
            result.refused = f"the label ({slug}) is already used by {labels[slug.lower()]}"
            continue
        taken[slug] = result.source
        converter = BodyConverter(post, slug, fields.title, index, checker, anchor_depth,
                                  fields.redirect[0] if fields.redirect else None,
                                  config.get("myst_heading_slug_func"))
        body = converter.convert(fields.excerpt_separator)
        heading = body.title or title or post.name
        text = render(fields, slug, heading) + body.text
        result.redirect = fields.redirect
        result.changes = fields.changes + body.changes
        located = sorted(((_line_of(text, note.needle), note.text) for note in body.needs),
                         key=lambda pair: pair[0] or 0)
        result.needs += fields.needs + [f"line {line}: {what}" if line else what for line, what in located]
        result.writes[target] = text
        for source_file, relative in body.copies.items():
            result.writes[target.parent / relative] = source_file
        clash = next((path for path, what in result.writes.items() if path.exists()
                      and not (isinstance(what, Path) and path.read_bytes() == what.read_bytes())), None)
        if clash is not None:
            result.refused = f"{clash.relative_to(repo).as_posix()} already exists; the post is not imported"
            result.writes.clear()

    # 3. write
    if not dry_run:
        for _post, _fields, _title, result in planned:
            if result.refused:
                continue
            for path, what in result.writes.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(what, Path):
                    if path.exists():
                        continue  # the same bytes (checked above)
                    with path.open("xb") as file:
                        file.write(what.read_bytes())
                else:
                    with path.open("x", encoding="utf-8") as file:  # never overwrite, even in a race
                        file.write(what)
    return ImportResult(site, dry_run, [result for *_, result in planned], unreadable)


def report(result: ImportResult) -> str:
    """The report printed after an import."""
    site = result.site
    lines = [f"{site.name} blog {site.root} -> posts/" + (" (dry run: nothing written)" if result.dry_run else "")]
    lines += [f"  note: {note}" for note in site.notes]
    for post in result.posts:
        lines.append("")
        if post.refused:
            lines.append(f"{post.source}: REFUSED: {post.refused}")
            continue
        lines.append(f"{post.source} -> {post.target} (slug {post.slug})" + (f" [draft: {post.draft}]" if post.draft else ""))
        for address in post.redirect:
            lines.append(f"  redirect from {address}")
        if post.changes:
            lines.append("  changed:")
            lines += [f"    - {change}" for change in post.changes]
        if post.needs:
            lines.append("  needs a person:")
            lines += [f"    - {need}" for need in post.needs]
    for path, problem in result.unreadable:
        lines += ["", f"{path}: NOT READ: {problem}"]
    imported = [post for post in result.posts if not post.refused]
    drafts = sum(1 for post in imported if post.draft)
    refused = len(result.posts) - len(imported)
    needing = sum(1 for post in imported if post.needs)
    verb = "would be imported" if result.dry_run else "imported"
    summary = f"{len(result.posts)} post{'s' if len(result.posts) != 1 else ''}: {len(imported)} {verb}"
    if drafts:
        summary += f" ({drafts} of them {'drafts' if drafts > 1 else 'a draft'})"
    if refused:
        summary += f", {refused} refused"
    if result.unreadable:
        summary += f"; {len(result.unreadable)} file{'s' if len(result.unreadable) != 1 else ''} not read"
    summary += (f"; {needing} need{'s' if needing == 1 else ''} a person" if needing else "; nothing needs a person")
    return "\n".join([*lines, "", summary]) + "\n"
