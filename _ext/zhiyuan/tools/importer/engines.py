"""Where Jekyll, Hexo and Hugo keep posts and images, how they date them, and where they published them.

* **Jekyll**: ``_posts/YYYY-MM-DD-name.md`` (the file name dates the post when its front matter
  does not), ``_drafts/`` (drafts), images anywhere in the site (usually ``assets/``), addressed
  from the site's root; ``_config.yml`` gives ``timezone``, ``permalink`` and ``baseurl``.
* **Hexo**: ``source/_posts/*.md``, ``source/_drafts/``, images under ``source/`` (``/images/x.png``)
  or in the post's asset folder (``source/_posts/<name>/``, ``post_asset_folder``); ``_config.yml``
  gives ``timezone``, ``permalink`` and ``root``.
* **Hugo**: ``content/posts/`` (or ``content/post/``), a post a file or a page bundle
  (``<name>/index.md`` with its images beside it), site images under ``static/``; the site
  configuration (``hugo.toml``, ``config.toml``, YAML or JSON) gives ``timeZone``, ``baseURL``
  and ``[permalinks]``.

Front matter is YAML between ``---`` lines (Hexo also without the first one), TOML between
``+++`` lines or a JSON object (Hugo).  YAML timestamps stay text here: every engine's date
forms are read by :func:`parse_date`, one way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

ENGINES = ("jekyll", "hexo", "hugo")
ENGINE_NAMES = {"jekyll": "Jekyll", "hexo": "Hexo", "hugo": "Hugo"}
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn", ".mdown")


class SourceError(ValueError):
    """A folder that is not a blog of the engine, or a post that cannot be read."""


# -- front matter ----------------------------------------------------------------


class _TextTimestamps(yaml.SafeLoader):
    """YAML's safe loader with timestamps left as text (dates are read by :func:`parse_date`)."""


_TextTimestamps.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)

_YAML = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.S)
# Hexo reads front matter that ends with a --- line without starting with one
_HEXO_OPEN = re.compile(r"\A((?:[A-Za-z_][\w-]*[ \t]*:.*\n|[ \t]+.*\n|[ \t]*-[ \t].*\n)+)---[ \t]*(?:\n|\Z)")


def split_front_matter(text: str, engine: str) -> tuple[dict[str, Any], str, str]:
    """``(front matter, body, format)`` of a post's *text*; format is yaml, toml, json or none."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        if match := _YAML.match(text):
            data, kind = yaml.load(match.group(1) or "", Loader=_TextTimestamps), "yaml"  # noqa: S506 (safe)
        elif match := _TOML.match(text):
            data, kind = tomllib.loads(match.group(1) or ""), "toml"
        elif engine == "hugo" and text.lstrip().startswith("{"):
            start = len(text) - len(text.lstrip())
            data, end = json.JSONDecoder().raw_decode(text, start)
            return _mapping(data), text[end:].lstrip("\n"), "json"
        elif engine == "hexo" and (match := _HEXO_OPEN.match(text)):
            data, kind = yaml.load(match.group(1), Loader=_TextTimestamps), "yaml"  # noqa: S506 (safe)
        else:
            return {}, text, "none"
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise SourceError(f"its front matter cannot be read: {str(exc).splitlines()[0]}") from None
    return _mapping(data), text[match.end():], kind


def _mapping(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError("its front matter is not a mapping of key: value")
    return {str(key): value for key, value in data.items()}


# -- dates -----------------------------------------------------------------------

# Jekyll's 2020-11-12 17:04:19 +0800, Hexo's 2019-1-15 5:10 (and 2019/1/15), Hugo's RFC 3339
_DATE = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:(?:[ \t]+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"[ \t]*(Z|[+-]\d{2}(?::?\d{2})?)?",
    re.I,
)


@dataclass(frozen=True)
class PostDate:
    """A post's date as its engine meant it: a moment (with its time zone) and whether a time was given."""

    when: dt.datetime
    has_time: bool


def parse_date(value: Any, tz: dt.tzinfo) -> PostDate | None:
    """A front-matter date in any of the engines' forms; a date without a zone is in *tz*.

    None for no value; ValueError for a value that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        when, has_time = value, True
    elif isinstance(value, dt.date):
        when, has_time = dt.datetime(value.year, value.month, value.day), False
    elif isinstance(value, str) and (match := _DATE.fullmatch(value.strip())):
        year, month, day, hour, minute, second, zone = match.groups()
        has_time = hour is not None
        try:
            when = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        except ValueError:
            raise ValueError(f"date {value!r} is not a date") from None
        if zone:
            when = when.replace(tzinfo=_offset(zone))
    else:
        raise ValueError(f"date {value!r} is not a date")
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return PostDate(when, has_time)


def _offset(zone: str) -> dt.tzinfo:
    if zone.upper() == "Z":
        return dt.UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


# -- the engine's site -------------------------------------------------------------


@dataclass
class Site:
    """A blog of one engine: its folder, configuration and conventions."""

    engine: str
    root: Path
    config: dict[str, Any]
    timezone: dt.tzinfo
    #: the engine's permalink pattern for posts, with placeholders (``/:year/:month/:day/:title/``)
    permalink: str
    #: the path the blog was served under (``/`` or ``/blog/``)
    base_path: str
    #: where an image addressed from the site's root (``/images/x.png``) is
    static_roots: list[Path]
    #: what the importer assumed about the site (said once in the report)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return ENGINE_NAMES[self.engine]


@dataclass
class SourcePost:
    """One post as its engine keeps it."""

    site: Site
    path: Path
    front: dict[str, Any]
    body: str
    #: the post's name in its engine: Jekyll's file name without its date, Hexo's path under
    #: _posts without the suffix, Hugo's file or bundle name
    name: str
    #: where an image addressed relative to the post is: the post's folder, Hexo's asset
    #: folder, Hugo's page bundle
    asset_dirs: list[Path]
    #: Jekyll's date from the file name
    file_date: dt.date | None = None
    #: in the engine's drafts folder (_drafts/)
    in_drafts: bool = False
    #: Hugo's section (posts, post)
    section: str = ""

    @property
    def relative(self) -> str:
        return self.path.relative_to(self.site.root).as_posix()


def _read_config(root: Path, names: tuple[str, ...]) -> tuple[dict[str, Any], str | None]:
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        try:
            if name.endswith(".toml"):
                data = tomllib.loads(text)
            elif name.endswith(".json"):
                data = json.loads(text)
            else:
                data = yaml.load(text, Loader=_TextTimestamps)  # noqa: S506 (safe)
        except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
            raise SourceError(f"{name} cannot be read: {str(exc).splitlines()[0]}") from None
        return (data if isinstance(data, dict) else {}), name
    return {}, None


def _zone(name: Any, default: dt.tzinfo) -> dt.tzinfo:
    if not name:
        return default
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return default


def _base_path(value: Any) -> str:
    path = urlsplit(str(value or "/")).path if value else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


# Jekyll's named permalink styles
_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_FILE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})-(.+)")


def load_site(root: Path, engine: str, default_tz: dt.tzinfo) -> Site:
    """The blog of *engine* in *root*; SourceError when the folder does not look like one."""
    if engine not in ENGINES:
        raise SourceError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not root.is_dir():
        raise SourceError(f"{root} is not a folder")
    if engine == "jekyll":
        config, _ = _read_config(root, ("_config.yml", "_config.yaml"))
        if not (root / "_posts").is_dir():
            raise SourceError(f"{root} has no _posts/ folder: not a Jekyll site")
        style = str(config.get("permalink") or "date")
        site = Site(engine, root, config, _zone(config.get("timezone"), default_tz),
                    _JEKYLL_STYLES.get(style, style), _base_path(config.get("baseurl")), [root])
    elif engine == "hexo":
        config, _ = _read_config(root, ("_config.yml", "_config.yaml"))
        if not (root / "source" / "_posts").is_dir():
            raise SourceError(f"{root} has no source/_posts/ folder: not a Hexo site")
        site = Site(engine, root, config, _zone(config.get("timezone"), default_tz),
                    str(config.get("permalink") or ":year/:month/:day/:title/"),
                    _base_path(config.get("root")), [root / "source"])
    else:
        config, _ = _read_config(root, ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                                        "config.yaml", "config.yml", "config.json",
                                        "config/_default/hugo.toml", "config/_default/config.toml"))
        lowered = {key.lower(): value for key, value in config.items()}
        if not any((root / "content" / section).is_dir() for section in _HUGO_SECTIONS):
            raise SourceError(f"{root} has no content/posts/ (or content/post/) folder: not a Hugo site")
        site = Site(engine, root, config, _zone(lowered.get("timezone"), default_tz), "",
                    _base_path(lowered.get("baseurl")), [root / "static", root / "assets"])
    if site.timezone is default_tz and not _configured_zone(config):
        site.notes.append(f"dates without a time zone are read in the site's ({default_tz})")
    return site


def _configured_zone(config: dict[str, Any]) -> bool:
    return any(key.lower() == "timezone" and value for key, value in config.items())


# -- finding posts ---------------------------------------------------------------

_HUGO_SECTIONS = ("posts", "post")


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file())


# posts in a markup other than Markdown, which the importer names rather than skipping in silence
_OTHER_MARKUP = (".html", ".htm", ".textile", ".org", ".adoc", ".asciidoc", ".rst", ".ipynb", ".rmd", ".pandoc")


def _post_folders(site: Site) -> list[Path]:
    if site.engine == "jekyll":
        return [site.root / "_posts", site.root / "_drafts"]
    if site.engine == "hexo":
        return [site.root / "source" / "_posts", site.root / "source" / "_drafts"]
    return [site.root / "content" / section for section in _HUGO_SECTIONS]


def find_posts(site: Site) -> tuple[list[SourcePost], list[tuple[str, str]]]:
    """The site's posts and drafts, by path; and ``(path, problem)`` for each file that cannot be read."""
    found: list[tuple[Path, str, list[Path], dt.date | None, bool, str]] = []
    if site.engine == "jekyll":
        for path in _markdown_files(site.root / "_posts"):
            match = _JEKYLL_FILE.fullmatch(path.stem)
            if match is None:
                continue  # Jekyll itself ignores a post whose name is not dated
            year, month, day, name = match.groups()
            try:
                file_date = dt.date(int(year), int(month), int(day))
            except ValueError:
                continue
            found.append((path, name, [path.parent], file_date, False, ""))
        for path in _markdown_files(site.root / "_drafts"):
            found.append((path, path.stem, [path.parent], None, True, ""))
    elif site.engine == "hexo":
        for folder, in_drafts in ((site.root / "source" / "_posts", False), (site.root / "source" / "_drafts", True)):
            for path in _markdown_files(folder):
                name = path.relative_to(folder).with_suffix("").as_posix()
                found.append((path, name, [path.with_suffix(""), path.parent], None, in_drafts, ""))
    else:
        for section in _HUGO_SECTIONS:
            folder = site.root / "content" / section
            for path in _markdown_files(folder):
                if path.stem == "_index":
                    continue  # a section's list page, not a post
                bundle = path.stem == "index"
                name = (path.parent if bundle else path.with_suffix("")).relative_to(folder).as_posix()
                if not name or name == ".":
                    continue
                found.append((path, name, [path.parent], None, False, section))
    posts, problems = [], []
    for folder in _post_folders(site):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.suffix.lower() in _OTHER_MARKUP and path.is_file():
                problems.append((path.relative_to(site.root).as_posix(), "not Markdown; the importer reads .md files only"))
    for path, name, asset_dirs, file_date, in_drafts, section in found:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append((path.relative_to(site.root).as_posix(), "it is not UTF-8 text"))
            continue
        try:
            front, body, _kind = split_front_matter(text, site.engine)
        except SourceError as exc:
            problems.append((path.relative_to(site.root).as_posix(), str(exc)))
            continue
        posts.append(SourcePost(site, path, front, body, name, asset_dirs, file_date, in_drafts, section))
    return posts, problems


# -- old addresses -------------------------------------------------------------------


def as_list(value: Any, *, split_spaces: bool = False) -> list[str]:
    """A front-matter list (YAML list, Hexo's nested lists, a comma-separated string; Jekyll's
    space-separated categories and tags with *split_spaces*) as its items."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in as_list(part)]
    text = str(value).strip()
    if split_spaces and "," not in text:
        return text.split()
    return [part.strip() for part in text.split(",") if part.strip()]


def hexo_slugize(text: str) -> str:
    """Hexo's ``slugize``: runs of whitespace and punctuation as one ``-``, none at the ends."""
    return re.sub(r"[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:\"'<>,.?/，。！？：；、（）【】《》“”‘’]+", "-", text).strip("-")


def _urlize(text: str) -> str:
    """Hugo's ``urlize`` of a title: lower case, spaces as ``-``, punctuation dropped."""
    return re.sub(r"[^\w\-./]", "", text.strip().replace(" ", "-")).lower()


def _fill(pattern: str, values: dict[str, str]) -> str:
    """*pattern* with each ``:placeholder`` it names replaced; unknown ones left as they are."""
    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))
    # longest names first, so :i_month is not read as :i
    return re.sub(r":(" + "|".join(sorted(map(re.escape, values), key=len, reverse=True)) + r")", replace, pattern)


def _date_values(when: dt.datetime) -> dict[str, str]:
    return {
        "year": f"{when.year:04d}", "month": f"{when.month:02d}", "i_month": str(when.month),
        "day": f"{when.day:02d}", "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
        "y_day": f"{when.timetuple().tm_yday:03d}", "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}", "week": f"{when.isocalendar()[1]:02d}", "short_day": when.strftime("%a"),
        "monthname": when.strftime("%B").lower(), "weekday": str(when.isoweekday() % 7),
        "weekdayname": when.strftime("%A").lower(), "yearday": str(when.timetuple().tm_yday),
    }


def _clean(path: str, base: str) -> str:
    """A path on the old site, from its root: the base path, single slashes, percent-escapes decoded."""
    path = unquote(re.sub(r"/{2,}", "/", "/" + path.lstrip("/")))
    return re.sub(r"/{2,}", "/", base.rstrip("/") + path)


def _hugo_setting(site: Site, name: str) -> Any:
    return next((value for key, value in site.config.items() if key.lower() == name), None)


def old_addresses(post: SourcePost, title: str, categories: list[str], date: PostDate | None) -> tuple[list[str], list[str]]:
    """The paths (from the old site's root) a published post was reachable at: its permalink,
    then its aliases (Hugo ``aliases``, jekyll-redirect-from's ``redirect_from``); and the
    problems that kept one from being known."""
    site, front = post.site, post.front
    problems: list[str] = []
    when = date.when.astimezone(site.timezone) if date else None
    if site.engine == "jekyll":
        permalink = str(front.get("permalink") or site.permalink)
        name = str(front.get("slug") or post.name)
        values = {"title": name, "slug": re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                  "categories": "/".join(category.lower() for category in categories), "output_ext": ".html",
                  "slugified_categories": "/".join(re.sub(r"[^a-z0-9]+", "-", c.lower()).strip("-") for c in categories)}
        aliases = as_list(front.get("redirect_from"))
    elif site.engine == "hexo":
        permalink = str(front.get("permalink") or site.permalink)
        hexo_categories = [hexo_slugize(c) for c in categories] or [str(site.config.get("default_category") or "uncategorized")]
        values = {"title": post.name, "name": post.name.rsplit("/", 1)[-1], "post_title": hexo_slugize(title),
                  "category": "/".join(hexo_categories)}
        if front.get("abbrlink") is not None:
            values["abbrlink"] = str(front["abbrlink"])
        aliases = as_list(front.get("alias"))
    else:
        lowered = {key.lower(): value for key, value in site.config.items()}
        patterns = lowered.get("permalinks") or {}
        if isinstance(patterns.get("page"), dict):
            patterns = patterns["page"]
        pattern = patterns.get(post.section) if isinstance(patterns, dict) else None
        slug = str(front.get("slug") or "")
        name = post.name.rsplit("/", 1)[-1]
        if front.get("url"):
            permalink = str(front["url"])
        elif pattern:
            permalink = str(pattern)
        else:
            parent = post.name.rsplit("/", 1)[0] + "/" if "/" in post.name else ""
            permalink = f"/{post.section}/{parent}{slug or name}/"
        values = {"title": _urlize(title), "slug": slug or _urlize(title), "filename": name, "contentbasename": name,
                  "slugorfilename": slug or name, "slugorcontentbasename": slug or name,
                  "section": post.section, "sections": post.section}
        aliases = []
        for alias in as_list(front.get("aliases")):
            aliases.append(alias if alias.startswith("/") else f"/{post.section}/{alias}")
    if when is not None:
        values.update(_date_values(when))
    path = _fill(permalink, values)
    if site.engine == "hugo" and not front.get("url") and not _hugo_setting(site, "disablepathtolower"):
        path = path.lower()  # Hugo lower-cases the paths it makes
    unfilled = re.findall(r":([a-z_]+)", path)
    addresses = []
    if unfilled:
        problems.append(f"its old address {permalink!r} needs :{', :'.join(unfilled)}, which the importer cannot "
                        "know; no redirect from it")
    else:
        addresses.append(_clean(path, site.base_path))
    addresses += [_clean(alias, site.base_path) for alias in aliases]
    return list(dict.fromkeys(addresses)), problems
