"""Every warning our code gives, by Sphinx warning type and subtype.

Each warning is logged with ``type=`` and ``subtype=`` from this table and a ``location=``
naming the file (and line, where there is one), so a site can silence exactly one kind
with ``suppress_warnings = ["latest_updates.date"]``.  ``tests/core/test_config.py`` checks that
the code logs no pair missing here and that ARCHITECTURE.md lists every pair.
"""

from __future__ import annotations

#: type -> subtype -> when it is given
WARNINGS: dict[str, dict[str, str]] = {
    "post_frontmatter": {
        "invalid": "front matter that is not YAML or not a mapping, or a date that is not a date "
                   "(the post is left out)",
        "encoding": "a post that is not UTF-8 text, or holds a NUL byte (left out)",
        "empty": "an empty post file (left out)",
        "list": "a category, tag or author list with an item ablog cannot keep",
        "date": "a date that cannot be read while the post is read",
        "category": "a category that is not one of post_frontmatter_categories",
        "tags": "more tags than post_frontmatter_max_tags",
        "tested_with": "a tested_with that is empty or a mapping rather than text",
        "license": "a license the site does not know (posts/schema.py:LICENCES)",
        "pinned": "a pinned that is not true or false",
        "draft": "a draft that is not true or false",
        "unknown": "a key the site does not know (the hint names its counterpart, e.g. categories: category)",
        "title": "a post with title: in its front matter and a # heading of its own",
        "cover": "a cover that is not a PNG, JPEG, GIF or WebP file beside the post (missing, another kind, unreadable)",
    },
    "post_body": {
        "unclosed_fence": "a code fence that is never closed",
        "no_title": "a post without a title",
    },
    "latest_updates": {
        "date": "a post's date that is not an ISO date (left out of the index)",
        "duplicate": "a second latest-updates index on one page (ignored)",
        "pinned": "more pinned posts than latest_updates_max_pinned (the oldest are listed by date)",
    },
    "post_extras": {
        "series": "a series name with no letters or digits, or a page named like a series overview",
    },
    "figures": {
        "alt": "an image or figure without alt text",
        "size": "a local image whose width and height cannot be read from its file",
    },
    "diagrams": {
        "render": "a Mermaid or Graphviz diagram that cannot be drawn (its source is shown instead)",
        "tool": "a diagram whose renderer is missing: Node.js, mermaid-cli (npm ci), Chromium or Graphviz's dot",
    },
    "plots": {
        "font": "a plot whose labels need a glyph the plot font lacks, or a plot font that is not installed",
        "error": "a plot whose code raises an exception (no figure)",
    },
    "previews": {
        "write": "the hover previews of a batch of pages could not be made (the error follows, naming the page)",
    },
    "search": {
        "index": "the search index could not be written (the error follows)",
    },
    "share_cards": {
        "font": "the share cards' font is not installed (posts get no generated share image)",
        "draw": "the share cards could not be drawn (the error follows, naming the post)",
    },
    "redirects": {
        "invalid": "a redirect: entry that cannot be a page of the site, or would replace one (left out)",
        "duplicate": "two posts with the same old address in redirect:",
    },
    "archive_slugs": {
        "collision": "category, tag or author names that would share one archive page",
    },
    "feeds_extra": {
        "config": "no absolute base URL for the RSS and JSON feeds",
    },
    "robots_txt": {
        "config": "no absolute base URL for robots.txt's sitemap line",
    },
    "portal_theme": {
        "blog_path": "a page with the name of a page ablog generates",
    },
    "katex_ssr": {
        "assets": "KaTeX's CSS and fonts not installed (npm ci)",
        "version": "KaTeX's assets of another version than sphinxcontrib-katex's",
        "render": "a formula KaTeX cannot render",
    },
    "icons": {
        "assets": "Font Awesome's icons not installed (npm ci)",
        "version": "Font Awesome's icons of another version than the theme's",
        "unknown": "an icon element naming no icon of Font Awesome's package (it draws nothing)",
    },
    "page_assets": {
        "fonts": "the fonts cut to the glyphs in use could not be made (the error follows, naming the font)",
    },
    "strict_csp": {
        "fontawesome": "no Font Awesome stylesheet to serve instead of its inline one",
        "inline_script": "an inline script the Content-Security-Policy would block",
    },
    "compat": {
        "version": "an upstream package of another version than our patch of it was written for "
                   "(the patch is left out)",
    },
}


def is_registered(type_: str, subtype: str) -> bool:
    return subtype in WARNINGS.get(type_, {})
