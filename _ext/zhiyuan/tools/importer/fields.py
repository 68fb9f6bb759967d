"""An imported post's front matter, in the site's keys (:mod:`zhiyuan.posts.schema`).

=========================================  ==============================================
the engine's key                           here
=========================================  ==============================================
``title``                                  the ``#`` heading at the top of the body
``date`` (Hugo: or ``publishDate``;        ``date``, in the site's time zone; Jekyll's file
Jekyll: the file name)                     name date where the front matter has none
``categories``, ``category``               ``category`` (the site's names; ``--map-category``)
``tags``, ``tag``                          ``tags`` (lower case, kebab-case, at most the site's number)
``author``, ``authors``                    ``author``
``excerpt``, ``description``, ``summary``  ``excerpt``
``series``                                 ``series`` (an id in kebab-case)
``draft: true``, ``published: false``,     no ``date``: a draft the build leaves out
Jekyll's and Hexo's ``_drafts/``
``permalink``, ``slug``, ``url``,          ``redirect`` (ablog's key): the old addresses,
``aliases``, ``redirect_from``,            which keep working
``abbrlink``, ``alias``
``updated``, ``lastmod``, …                dropped: 最后更新 comes from git
``layout``, ``math``, ``mathjax``,         dropped: the site has one layout, always typesets
``comments``, ``toc``, …                   formulas, has no comments, always shows a TOC
anything else                              left out, and reported
=========================================  ==============================================
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from zhiyuan.posts.schema import FIELD_HINTS, SiteRules
from zhiyuan.tools.importer.engines import PostDate, SourcePost, as_list, parse_date
from zhiyuan.tools.new_post import slug_from_title

TITLE_KEYS = ("title",)
CATEGORY_KEYS = ("categories", "category")
TAG_KEYS = ("tags", "tag")
AUTHOR_KEYS = ("author", "authors")
EXCERPT_KEYS = ("excerpt", "description", "summary")
ADDRESS_KEYS = ("permalink", "slug", "url", "aliases", "redirect_from", "abbrlink", "alias")
DRAFT_KEYS = ("draft", "published")
UPDATED_KEYS = ("updated", "lastmod", "last_modified_at", "modified", "update", "date_modified", "last_modified")
#: dropped keys and why
DROPPED = {
    "layout": "the site has one post layout",
    "type": "the site has one post layout",
    "math": "formulas are always typeset (KaTeX, at build time)",
    "mathjax": "formulas are always typeset (KaTeX, at build time)",
    "katex": "formulas are always typeset (KaTeX, at build time)",
    "comments": "the site has no comments",
    "toc": "every post shows its table of contents in the sidebar",
    "excerpt_separator": "the separator became <!--more-->",
    "publishdate": "the post's date is its publication date",
    "expirydate": "the site keeps its posts",
}


@dataclass
class Fields:
    """What the front matter of an imported post says, in the site's terms."""

    title: str | None
    #: the publication date, None for a draft
    date: dt.datetime | None
    date_has_time: bool
    #: the post's year (its folder): its date's, a draft's old date's, or this year
    year: int
    #: why the post is a draft, if it is one
    draft: str | None
    category: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)
    excerpt: str | None = None
    series: str | None = None
    #: the engine's date, for the post's old address
    source_date: PostDate | None = None
    categories_as_written: list[str] = field(default_factory=list)
    excerpt_separator: str | None = None
    redirect: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)


def _is_false(value: Any) -> bool:
    return value is False or str(value).strip().lower() in ("false", "no", "0")


def _is_true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes", "1")


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(str(text).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _site_category(name: str, rules: SiteRules, category_map: dict[str, str]) -> str | None:
    """The site's category for the engine's category *name*; None when it has none."""
    folded = {key.casefold(): value for key, value in category_map.items()}
    name = folded.get(name.casefold(), name)
    if not rules.categories:
        return name
    def key(text: str) -> str:
        return re.sub(r"[\s_-]+", " ", text).casefold().strip()
    return next((category for category in rules.categories if key(category) == key(name)), None)


def _tag(name: str) -> str:
    return re.sub(r"\s+", "-", name.replace(",", " ").strip().lower())


def map_fields(post: SourcePost, rules: SiteRules, site_tz: dt.tzinfo, category_map: dict[str, str],
               today: dt.date) -> Fields:
    """The site's front matter for *post*, and what it took."""
    front = post.front
    lowered = {key.lower(): key for key in front}
    changes: list[str] = []
    needs: list[str] = []
    handled: set[str] = set()

    def take(*names: str) -> tuple[str | None, Any]:
        for name in names:
            if name in lowered:
                handled.add(lowered[name])
                return lowered[name], front[lowered[name]]
        return None, None

    _key, title = take(*TITLE_KEYS)
    title = " ".join(str(title).split()) if title not in (None, "") else None
    if title:
        changes.append(f"title {_show(title)} -> the # heading")

    # date
    _key, raw_date = take("date")
    if raw_date in (None, "") and post.site.engine == "hugo":
        _key, raw_date = take("publishdate")
    source_date = None
    try:
        source_date = parse_date(raw_date, post.site.timezone)
    except ValueError as exc:
        needs.append(f"{exc}: the post has no date here (a draft); write date: YYYY-MM-DD")
    if source_date is None and post.file_date is not None and raw_date in (None, ""):
        source_date = PostDate(dt.datetime(post.file_date.year, post.file_date.month, post.file_date.day,
                                           tzinfo=post.site.timezone), False)
        changes.append(f"date from the file name: {post.file_date.isoformat()}")

    # drafts
    draft = None
    _key, draft_flag = take("draft")
    _key, published = take("published")
    if draft_flag is not None and _is_true(draft_flag):
        draft = "draft: true"
    elif published is not None and _is_false(published):
        draft = "published: false"
    elif post.in_drafts:
        draft = "in _drafts/"
    elif source_date is None and not needs:
        draft = "no date"
        needs.append("the post has no date, so it is a draft here; write date: YYYY-MM-DD to publish it")

    date = None
    has_time = False
    if source_date is not None:
        local = source_date.when.astimezone(site_tz).replace(tzinfo=None)
        has_time = source_date.has_time and local.time() != dt.time()
        if draft is None:
            date = local
            shown = _date_text(local, has_time)
            written = raw_date.isoformat() if isinstance(raw_date, (dt.date, dt.datetime)) else str(raw_date).strip()
            if raw_date not in (None, "") and written != shown:
                changes.append(f"date {_show(written)} -> {shown}")
    if draft is not None and draft != "no date":
        changes.append(f"{draft}: left undated, a draft the build leaves out"
                       + (f" (it was dated {source_date.when.date().isoformat()})" if source_date else ""))
    year = (source_date.when.astimezone(site_tz).year if source_date else today.year)

    # category
    _key, raw_categories = take(*CATEGORY_KEYS)
    written = as_list(raw_categories, split_spaces=post.site.engine == "jekyll")
    if post.site.engine == "jekyll":  # Jekyll reads both keys
        other = [name for name in ("categories", "category") if name in lowered and lowered[name] not in handled]
        for name in other:
            handled.add(lowered[name])
            written += as_list(front[lowered[name]], split_spaces=True)
    categories: list[str] = []
    for name in written:
        mapped = _site_category(name, rules, category_map)
        if mapped is None:
            needs.append(f"category {name!r} is not one of the site's ({', '.join(rules.categories)}); left out: "
                         f"choose one, or import with --map-category {name}=<category>")
        elif mapped not in categories:
            categories.append(mapped)
    if written and categories != written:
        changes.append(f"categories {_show(written)} -> category: {', '.join(categories) or '(none)'}")

    # tags
    _key, raw_tags = take(*TAG_KEYS)
    tags: list[str] = []
    for name in as_list(raw_tags, split_spaces=post.site.engine == "jekyll"):
        tag = _tag(name)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > rules.max_tags:
        needs.append(f"{len(tags)} tags; the site allows {rules.max_tags}: kept {', '.join(tags[:rules.max_tags])}, "
                     f"left out {', '.join(tags[rules.max_tags:])}")
        tags = tags[:rules.max_tags]
    if raw_tags is not None and tags != as_list(raw_tags):
        changes.append(f"tags {_show(raw_tags)} -> {', '.join(tags)}")
    if len(tags) < rules.min_tags:
        needs.append(f"{len(tags)} tags; the site wants at least {rules.min_tags}: add tags: a, b")

    _key, raw_author = take(*AUTHOR_KEYS)
    author = [name for name in as_list(raw_author) if name]

    excerpt_key, raw_excerpt = take(*EXCERPT_KEYS)
    excerpt = " ".join(str(raw_excerpt).split()) if raw_excerpt not in (None, "") else None
    if excerpt and excerpt_key and excerpt_key.lower() != "excerpt":
        changes.append(f"{excerpt_key} -> excerpt")

    _key, raw_series = take("series")
    series = None
    names = as_list(raw_series)
    if names:
        series = slug_from_title(names[0])
        if series != names[0]:
            changes.append(f"series {_show(names[0])} -> {series} (give it a title in post_extras_series_titles)")
        if len(names) > 1:
            needs.append(f"the post is in {len(names)} series; the site allows one: kept {series}")

    for name in ADDRESS_KEYS:
        take(name)
    _key, separator = take("excerpt_separator")
    for key in list(front):
        lower = key.lower()
        if key in handled:
            continue
        if lower in UPDATED_KEYS:
            changes.append(f"{key}: dropped (最后更新 comes from git; note what changed with an {{update}} block)")
        elif lower in DROPPED:
            changes.append(f"{key}: dropped ({DROPPED[lower]})")
        elif lower in ADDRESS_KEYS:
            continue
        else:
            hint = FIELD_HINTS.get(lower)
            needs.append(f"front matter {key}: {_show(front[key])} has no counterpart here; left out"
                         + (f" ({hint})" if hint else ""))
    return Fields(
        title=title, date=date, date_has_time=has_time, year=year, draft=draft, category=categories, tags=tags,
        author=author, excerpt=excerpt, series=series, source_date=source_date, categories_as_written=written,
        excerpt_separator=str(separator) if separator else post.site.config.get("excerpt_separator"),
        changes=changes, needs=needs,
    )


def _date_text(local: dt.datetime, has_time: bool) -> str:
    if not has_time:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def _scalar(text: str) -> str:
    """*text* as a YAML value: as it is where YAML reads it back unchanged, else quoted."""
    if "\n" not in text and text == text.strip():
        try:
            if yaml.safe_load(f"key: {text}") == {"key": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def render(fields: Fields, slug: str, title: str) -> str:
    """The post's front matter, label and title."""
    lines = []
    if fields.date is not None:
        lines.append(f"date: {_date_text(fields.date, fields.date_has_time)}")
    else:
        was = f"，原日期 {fields.source_date.when.date().isoformat()}" if fields.source_date else ""
        lines.append(f"# 草稿（导入时{'：' + fields.draft if fields.draft else ''}{was}）：没有 date，构建不发布它；"
                     "发布时加上一行 date: YYYY-MM-DD")
    for key, values in (("category", fields.category), ("tags", fields.tags), ("author", fields.author)):
        if values:
            lines.append(f"{key}: {_scalar(', '.join(values))}")
    if fields.excerpt:
        lines.append(f"excerpt: {_scalar(fields.excerpt)}")
    if fields.series:
        lines.append(f"series: {fields.series}")
    if fields.redirect:
        lines.append(f"redirect: {_scalar(', '.join(fields.redirect))}")
    return "---\n" + "\n".join(lines) + f"\n---\n\n({slug})=\n# {title}\n\n"
