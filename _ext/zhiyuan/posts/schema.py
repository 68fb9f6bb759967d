"""The site's rules for a post's front matter, declared once: the build and ``nox -s new`` obey them.

A post's front matter holds ``date`` (required for a post; undated means draft),
``category``, ``tags`` and ``author`` (lists: ``a, b`` or YAML lists), and optionally
``series``, ``excerpt``, ``tested_with`` (the versions the post's code was checked with,
as text: ``torch 2.6, transformers 4.46``; :func:`tested_with_problem`) and ``license`` (one
of :data:`LICENCES`, when the post is not under the site's licence; :func:`licence_problem`),
``pinned`` (``true`` keeps it at the top of LATEST UPDATES; :func:`pinned_problem`), ``cover``
(an image file beside the post, shown in LATEST UPDATES and shared instead of the post's card;
:func:`cover_problem`) with its ``cover_alt``, ``title`` (instead of a ``#`` heading) and
``draft`` (``true``: a draft whatever its date).  Any other key is a warning, with a hint where
another engine's key has a counterpart here (:func:`unknown_field_problem`: ``categories`` →
``category``).  The site narrows these with three settings of conf.py —
the categories it has (``post_frontmatter_categories``; empty: any) and how many tags a
post carries (``post_frontmatter_min_tags`` to ``post_frontmatter_max_tags``) — which
:class:`SiteRules` holds.  The build checks every post against them
(:mod:`zhiyuan.posts.frontmatter`, warnings naming file and line), and the scaffold
refuses a new post that would break them, with the same messages.

Pure Python: the scaffold imports it without Sphinx.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The fields whose value is a list.
LIST_FIELDS = ("category", "tags", "author")

#: The field naming the versions a post's code was tested with (text, shown in its header).
TESTED_WITH = "tested_with"

#: The field that keeps a post at the top of the LATEST UPDATES indexes, marked 置顶.
PINNED = "pinned"

#: The field naming the licence a post is published under, when it is not the site's.
LICENSE = "license"

#: The field naming a post's cover: an image file, by its path relative to the post's file.
COVER = "cover"
#: The cover's alternative text (the post's title where it is not given).
COVER_ALT = "cover_alt"
#: The kinds of image a cover may be: those social networks show as a shared link's picture.
COVER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

#: The licences a post (``license:``) or the site (``site_licence``) may name, with the deed
#: readers are sent to (in Chinese, where Creative Commons has one).
LICENCES = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hans",
    "CC BY-NC 4.0": "https://creativecommons.org/licenses/by-nc/4.0/deed.zh-hans",
    "CC BY-NC-SA 4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.zh-hans",
    "CC BY-ND 4.0": "https://creativecommons.org/licenses/by-nd/4.0/deed.zh-hans",
    "CC BY-NC-ND 4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/deed.zh-hans",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.zh-hans",
}
DEFAULT_LICENCE = "CC BY-SA 4.0"

#: The field giving the post's title in front matter (MyST turns it into the page's heading:
#: ``myst_title_to_header``); a post has it or a ``#`` heading, not both.
TITLE = "title"

#: The field that makes a post a draft whatever its date (``draft: true``).
DRAFT = "draft"

#: Every front-matter field a post may have: ours above, ablog's (the options of its ``post``
#: directive), and the file-wide ones of Sphinx and MyST-Parser.
KNOWN_FIELDS = frozenset({
    "date", *LIST_FIELDS, "series", "excerpt", TESTED_WITH, PINNED, LICENSE, TITLE, DRAFT,
    "cover", "cover_alt",
    "location", "language", "redirect", "image", "exclude", "nocomments", "canonical_link", "external_link",
    "blogpost", "orphan", "nosearch", "tocdepth", "myst", "substitutions", "html_meta",
})

#: What other blog engines' keys (Jekyll, Hexo, Hugo, Docusaurus) are here: the hint an
#: unknown key gets.
FIELD_HINTS = {
    "categories": "write category: (one key, a list allowed)",
    "tag": "write tags:",
    "keywords": "write tags:",
    "authors": "write author:",
    "description": "write excerpt: (the text shown in LATEST UPDATES, the feeds and search results)",
    "summary": "write excerpt: (the text shown in LATEST UPDATES, the feeds and search results)",
    "abstract": "write excerpt:",
    "updated": "the 最后更新 date comes from git; leave it out, and note what changed with an {update} block",
    "lastmod": "the 最后更新 date comes from git; leave it out, and note what changed with an {update} block",
    "last_modified_at": "the 最后更新 date comes from git; leave it out",
    "slug": "the file name is the post's slug (posts/<year>/<slug>.md); rename the file instead",
    "permalink": "the file name decides the URL; keep the old one working with redirect: <old path>",
    "aliases": "keep old URLs working with redirect: <old path>, <old path>",
    "published": "write draft: true for a post that is not published yet",
    "layout": "the site has one post layout; leave it out",
    "type": "the site has one post layout; leave it out",
    "math": "formulas are always rendered (KaTeX, at build time); leave it out",
    "mathjax": "formulas are always rendered (KaTeX, at build time); leave it out",
    "katex": "formulas are always rendered (KaTeX, at build time); leave it out",
    "toc": "every post has its table of contents in the sidebar; leave it out",
    "comments": "the site has no comments; leave it out",
    "sticky": "write pinned: true",
    "top": "write pinned: true",
    "pin": "write pinned: true",
    "thumbnail": "write cover: <image path>",
    "featured_image": "write cover: <image path>",
    "banner": "write cover: <image path>",
    "licence": "write license:",
    "series_name": "write series:",
}


def unknown_field_problem(key: str) -> str | None:
    """What is wrong with a post's front-matter *key*, if it is not one the site knows."""
    if key in KNOWN_FIELDS:
        return None
    hint = FIELD_HINTS.get(key.lower())
    message = f"front matter key {key!r} means nothing here and is ignored"
    return f"{message}; {hint}" if hint else f"{message} (the keys a post may have: docs/guide.md)"


def draft_problem(text: str) -> str | None:
    """What is wrong with a ``draft`` value as MyST leaves it, if anything: it must be true or false."""
    if text.strip().lower() in ("true", "false"):
        return None
    return f"draft is {text.strip()!r}; write draft: true (or leave it out)"


#: The defaults of the settings (declared in :mod:`zhiyuan.config`).
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_MAX_TAGS = 5


@dataclass(frozen=True)
class SiteRules:
    """What the site allows in a post's front matter."""

    categories: tuple[str, ...] = ()
    min_tags: int = 0
    max_tags: int = DEFAULT_MAX_TAGS
    timezone: str = DEFAULT_TIMEZONE

    @classmethod
    def from_config(cls, config: Any) -> SiteRules:
        """The rules a Sphinx configuration (or conf.py's namespace, as a dict) sets."""
        get = config.get if isinstance(config, dict) else lambda name, default: getattr(config, name, default)
        return cls(
            categories=tuple(get("post_frontmatter_categories", ()) or ()),
            min_tags=get("post_frontmatter_min_tags", 0),
            max_tags=get("post_frontmatter_max_tags", DEFAULT_MAX_TAGS),
            timezone=get("post_frontmatter_timezone", DEFAULT_TIMEZONE) or DEFAULT_TIMEZONE,
        )

    def category_problems(self, categories: tuple[str, ...]) -> list[str]:
        """What is wrong with a post's *categories*."""
        if not self.categories:
            return []
        return [
            f"category {category!r} is not one of the site's categories ({', '.join(self.categories)}); "
            "use one of them, or add it to post_frontmatter_categories in conf.py"
            for category in categories
            if category not in self.categories
        ]

    def tags_problem(self, tags: tuple[str, ...]) -> str | None:
        """What is wrong with a post's number of *tags*, if anything."""
        if len(tags) > self.max_tags:
            return f"{len(tags)} tags; a post has at most {self.max_tags} (post_frontmatter_max_tags in conf.py)"
        if len(tags) < self.min_tags:
            return (f"{len(tags)} tags; a post has at least {self.min_tags} "
                    "(post_frontmatter_min_tags in conf.py): write them as tags: a, b")
        return None


def pinned_problem(text: str) -> str | None:
    """What is wrong with a ``pinned`` value as MyST leaves it, if anything: it must be true or false."""
    if text.strip().lower() in ("true", "false"):
        return None
    return f"pinned is {text.strip()!r}; write pinned: true (or leave it out)"


def cover_problem(value: str, file: Path) -> str | None:
    """What is wrong with a ``cover`` *value* (as written), whose *file* is the path it names
    from the post's folder, if anything: it must name an existing PNG, JPEG, GIF or WebP file."""
    value = value.strip()
    if not value:
        return "cover is empty; name an image file beside the post, e.g. cover: figures/cover.png"
    if "://" in value or value.startswith("/") or posixpath.isabs(value):
        return f"cover {value!r} is not a path relative to the post; put the image beside it, e.g. figures/cover.png"
    if not value.lower().endswith(COVER_SUFFIXES):
        return (f"cover {value!r} is not a PNG, JPEG, GIF or WebP image "
                "(social networks do not show other kinds, SVG among them)")
    if not file.is_file():
        return f"cover {value!r} does not exist (looked for {file.as_posix()})"
    return None


def licence_problem(name: str) -> str | None:
    """What is wrong with a licence *name* (``license:`` of a post, or ``site_licence``), if anything."""
    if name.strip() in LICENCES:
        return None
    return f"license {name.strip()!r} is not one the site knows; use one of: {', '.join(LICENCES)}"


def tested_with_problem(text: str) -> str | None:
    """What is wrong with a ``tested_with`` value as MyST leaves it (text; a YAML list or
    mapping as JSON), if anything: it must be text or a list of texts, and not empty."""
    text = text.strip()
    if not text or text in ("[]", "null"):
        return "tested_with is empty; name the versions the code was run with, e.g. tested_with: torch 2.6, transformers 4.46"
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, dict):
            return ("tested_with is a mapping; write it as text, e.g. tested_with: torch 2.6, transformers 4.46")
    return None
