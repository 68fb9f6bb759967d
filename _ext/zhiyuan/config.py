"""Every configuration value of ours, declared once.

Each :class:`Setting` names its value, default, rebuild condition (Sphinx's ``"env"``,
``"html"`` or ``""``), accepted types, a one-line description and, where the type is not
enough, the check a value must pass.  A part of the site declares its settings with
:func:`declare` in its ``setup()``; a value of the wrong type or one that fails its check
stops the build with a :class:`~sphinx.errors.ConfigError` naming the value, before any
post is read.  ARCHITECTURE.md lists them (``tests/core/test_config.py`` keeps the two equal).
"""

from __future__ import annotations

import copy
import functools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zhiyuan.posts import schema

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Setting:
    """One configuration value: what it is, and what a value of it must be."""

    name: str
    default: Any
    rebuild: str
    types: tuple[type, ...]
    doc: str
    #: a problem with the value, or None; run after the type check
    check: Callable[[Any], str | None] | None = None


# -- Checks ---------------------------------------------------------------------


def _positive(value: int) -> str | None:
    return None if value >= 1 else "must be a positive integer"


def _not_negative(value: int) -> str | None:
    return None if value >= 0 else "must not be negative"


def _with_slug(value: str) -> str | None:
    return None if "{slug}" in value else "must contain '{slug}'"


def _time_zone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a time zone of the IANA database, such as 'Asia/Shanghai'"
    return None


def _strings(value: list) -> str | None:
    return None if all(isinstance(item, str) for item in value) else "must be a list of strings"


def _known_licence(value: str) -> str | None:
    from zhiyuan.posts.schema import licence_problem

    return licence_problem(value)


def _string_map(value: dict) -> str | None:
    ok = all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return None if ok else "must map strings to strings"


def _known_keys(known: Callable[[], dict[str, Any]], *, positive: bool = False) -> Callable[[dict], str | None]:
    """A check that a dict's keys are among *known()*'s (and, if *positive*, its values > 0)."""

    def check(value: dict) -> str | None:
        unknown = set(value) - set(known())
        if unknown:
            return f"has unknown keys {sorted(unknown)}; known keys are {sorted(known())}"
        if positive and not all(isinstance(v, (int, float)) and v > 0 for v in value.values()):
            return "must map each key to a positive number"
        return None

    return check


def _placeholders() -> dict[str, Any]:
    from zhiyuan.posts.excerpt import DEFAULT_PLACEHOLDERS

    return DEFAULT_PLACEHOLDERS


def _reading_rates() -> dict[str, Any]:
    from zhiyuan.posts.reading_time import DEFAULT_RATES

    return DEFAULT_RATES


# -- The settings, by the part that declares them ----------------------------------

SETTINGS: dict[str, tuple[Setting, ...]] = {
    "zhiyuan.posts.frontmatter": (
        Setting("post_frontmatter_timezone", schema.DEFAULT_TIMEZONE, "env", (str,),
                "the site's time zone: post dates, drafts and 'today' are read in it", _time_zone),
        Setting("post_frontmatter_categories", [], "env", (list, tuple),
                "the categories a post may name (empty: any); `nox -s new` offers the same", _strings),
        Setting("post_frontmatter_min_tags", 0, "env", (int,), "the fewest tags a post may have", _not_negative),
        Setting("post_frontmatter_max_tags", schema.DEFAULT_MAX_TAGS, "env", (int,), "the most tags a post may have",
                _positive),
        Setting("post_frontmatter_show_drafts", False, "env", (bool,),
                "build drafts too, each with a 草稿 banner (the live preview sets it; never a published build)"),
    ),
    "zhiyuan.posts.model": (
        Setting("latest_updates_post_pattern", ["posts/*"], "env", (list, tuple),
                "glob patterns of the documents that are posts (when they have a date)", _strings),
        Setting("latest_updates_excerpt_length", 350, "env", (int,),
                "an excerpt's length in user-perceived characters", _positive),
    ),
    "zhiyuan.pages.latest_updates": (
        Setting("latest_updates_per_page", 10, "html", (int,), "posts on each page of a LATEST UPDATES index",
                _positive),
        Setting("latest_updates_placeholders", {}, "html", (dict,),
                "replacements for the excerpt's placeholders ([代码], [公式], [Math], [图片], [表格])",
                _known_keys(_placeholders)),
        Setting("latest_updates_category_page", "blog/category/{slug}", "html", (str,),
                "the page a post's category links to", _with_slug),
        Setting("latest_updates_title", "LATEST UPDATES", "html", (str,), "the heading of an index's pages 2…n"),
        Setting("latest_updates_max_pinned", 3, "html", (int,),
                "posts with pinned: true an index keeps at its top, newest first (more are listed by date)",
                _not_negative),
    ),
    "zhiyuan.pages.post_extras": (
        Setting("post_extras_reading_rates", {}, "html", (dict,),
                "reading speeds for the reading time (cjk_per_minute, words_per_minute, …)",
                _known_keys(_reading_rates, positive=True)),
        Setting("post_extras_related_count", 5, "html", (int,), "related posts shown at a post's end",
                _not_negative),
        Setting("post_extras_series_titles", {}, "html", (dict,), "the title readers see of each series id",
                _string_map),
        Setting("post_extras_tag_page", "blog/tag/{slug}", "html", (str,), "the page a post's tag links to",
                _with_slug),
    ),
    "zhiyuan.pages.feeds": (
        Setting("feeds_extra_base_url", "", "html", (str,),
                "the site's absolute URL for the RSS and JSON feeds (default: html_baseurl)"),
        Setting("feeds_extra_length", 50, "html", (int,), "posts in the RSS and JSON feeds", _positive),
    ),
    "zhiyuan.formulas.katex_ssr": (
        Setting("katex_ssr_macros", {}, "env", (dict,), "TeX macros every formula can use", _string_map),
        Setting("katex_ssr_node", "node", "", (str,), "the Node.js program that renders formulas"),
        Setting("katex_ssr_assets", "node_modules/katex/dist", "", (str,), "KaTeX's CSS and fonts (npm)"),
    ),
    "zhiyuan.pages.diagrams": (
        Setting("diagrams_node", "node", "", (str,), "the Node.js program that runs mermaid-cli"),
        Setting("diagrams_mermaid_cli", "node_modules/@mermaid-js/mermaid-cli", "", (str,),
                "the npm package @mermaid-js/mermaid-cli (relative to conf.py)"),
        Setting("diagrams_committed", "", "", (str,),
                "the folder of the sources (relative to them) where the SVGs of Mermaid diagrams and plots are kept "
                "and committed; '': none"),
        Setting("diagrams_browser", "/usr/bin/chromium", "", (str,), "the Chromium mermaid-cli draws Mermaid diagrams in"),
        Setting("diagrams_mermaid_config", {
            "theme": "neutral", "deterministicIds": True, "htmlLabels": False, "flowchart": {"htmlLabels": False},
            "fontFamily": "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
        }, "html", (dict,), "Mermaid's configuration for every diagram (theme, labels as SVG text, fonts)"),
    ),
    "zhiyuan.pages.plots": (
        Setting("plots_font", "Noto Sans CJK SC", "html", (str,),
                "the font of plots' labels, which must hold Chinese (Debian fonts-noto-cjk)"),
        Setting("plots_rcparams", {}, "env", (dict,), "Matplotlib settings for every plot, over ours"),
    ),
    "zhiyuan.theme.portal": (
        Setting("site_licence", "CC BY-SA 4.0", "html", (str,),
                "the licence articles are published under unless their front matter names another (license:); "
                "shown in every footer, at the end of each post and in the feeds", _known_licence),
    ),
    "zhiyuan.theme.page_assets": (
        Setting("page_assets_bundle", True, "html", (bool,),
                "join every page's style sheets into one (_static/zhiyuan.css) and defer its scripts"),
        Setting("page_assets_purge", ["basic.css", "styles/*.css", "sphinx-design*.css"],
                "html", (list, tuple),
                "glob patterns (under _static/) of the theme sheets whose unused rules the joined sheet leaves out",
                _strings),
        Setting("page_assets_keep", ["bs-tooltip-*", "sd-summary-chevron-*"], "html", (list, tuple),
                "glob patterns of class names the joined sheet keeps although no source spells them out "
                "(scripts build them from parts; sphinx-design its dropdowns' f\"sd-summary-{marker}\")", _strings),
        Setting("page_assets_left_out", [], "html", (list, tuple),
                "scripts (file names) no page loads, although an extension adds them", _strings),
        Setting("page_assets_scripts_for", {"clipboard.min.js": "highlight", "copybutton.js": "highlight"}, "html",
                (dict,), "scripts (file name: classes, space-separated) that a page loads only if its body has an "
                "element of one of those classes",
                _string_map),
        Setting("page_assets_join_scripts", True, "html", (bool,),
                "join each page's deferred scripts under _static/ into one file (_static/zhiyuan-js/<digest>.js), "
                "so a page makes one script request instead of one per script"),
        Setting("page_assets_after_paint", True, "html", (bool,),
                "load a page's deferred scripts once the page is first drawn (strict_csp's head script starts "
                "them), not beside the page, its sheet and its fonts"),
    ),
    "zhiyuan.theme.later_blocks": (
        Setting("later_blocks_after", 1500, "html", (int,),
                "the blocks of a page's sections after this many characters of its text are laid out only "
                "when they come near the screen (class zy-later: content-visibility)", _positive),
    ),
    "zhiyuan.theme.icons": (
        Setting("icons_package", "node_modules/@fortawesome/fontawesome-free", "html", (str,),
                "Font Awesome's icons (npm), drawn as inline SVG"),
    ),
    "zhiyuan.search": (
        Setting("search_index_in_background", False, "", (bool,),
                "do not wait at the end of the build for the search index, written beside it (the live "
                "preview sets it, so an edited page is shown before the index is rewritten)"),
    ),
    "zhiyuan.web.share_cards": (
        Setting("share_cards_font", "Noto Sans CJK SC", "html", (str,),
                "the font of posts' share cards, which must hold Chinese (Debian fonts-noto-cjk)"),
    ),
    "zhiyuan.web.robots_txt": (
        Setting("robots_txt_disallow", [], "html", (list, tuple), "paths robots.txt asks crawlers to skip",
                _strings),
    ),
}


def check_value(setting: Setting, value: Any) -> str | None:
    """What is wrong with *value* for *setting*, or None."""
    wrong_type = not isinstance(value, setting.types) or (isinstance(value, bool) and bool not in setting.types)
    if wrong_type:
        expected = " or ".join(t.__name__ for t in setting.types)
        return f"must be of type {expected}, not {type(value).__name__}"
    return setting.check(value) if setting.check else None


def _check(settings: tuple[Setting, ...], app: Sphinx, config: Config) -> None:
    """Stop the build on the first value that is of the wrong type or fails its check."""
    for setting in settings:
        value = getattr(config, setting.name)
        problem = check_value(setting, value)
        if problem:
            from sphinx.errors import ConfigError

            raise ConfigError(f"{setting.name} = {value!r} {problem}")


def _append_static_folder(folder: str, app: Sphinx, config: Config) -> None:
    """Append *folder* to ``html_static_path`` (after the site's own folders)."""
    # a new list: the default value object is shared by every Sphinx app in a process
    config.html_static_path = [*config.html_static_path, folder]


def serve_static(app: Sphinx, folder: str | os.PathLike[str]) -> None:
    """Serve the files of *folder* (a part's ``static/``) under ``_static/`` of every HTML
    build, once the configuration has been read."""
    app.connect("config-inited", functools.partial(_append_static_folder, os.fspath(folder)))


def declare(app: Sphinx, part: str) -> None:
    """Add the settings of *part* (a module name) and check their values when the
    configuration has been read, before any other part uses them."""
    settings = SETTINGS[part]
    for setting in settings:
        # a copy: a default object would otherwise be shared by every Sphinx app in a process
        app.add_config_value(setting.name, copy.deepcopy(setting.default), setting.rebuild, types=setting.types,
                             description=setting.doc)
    app.connect("config-inited", functools.partial(_check, settings), priority=300)
