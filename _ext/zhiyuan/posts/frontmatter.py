"""Validate and normalise the front matter of blog posts before ablog sees it.

Two jobs, at two moments:

* At ``config-inited`` every file matching ``blog_post_pattern`` is pre-scanned
  (front matter only; a file unchanged since the last build is not read again).
  Drafts (no ``date``, or a date after today) are added to
  ``exclude_patterns``, so they are not built at all and appear nowhere public;
  the build log lists them once.  The live preview sets
  ``post_frontmatter_show_drafts``: drafts are then built, each with a banner
  (:mod:`zhiyuan.pages.post_extras`), and ablog lists them only on its drafts
  page, never in the listings or feeds of published posts.  Broken front matter (invalid YAML, a ``date``
  that is not a date, such as ``2026-13-45`` or ``yesterday``) and files that
  are not a post at all (not UTF-8, NUL bytes, empty) are a warning naming the
  file and line, and the post is left out rather than taking the build down
  with a traceback.  A byte-order mark and CRLF line ends are fine.
* While a post is read, a transform rewrites list-valued ``category``, ``tags``
  and ``author`` fields (``tags: [a, b]``) into the comma-separated form ablog
  parses; stock ablog turns ``category: [a, b]`` into ``["a`` and ``b"]``.
  Dates with a time zone are converted to ``post_frontmatter_timezone``, because
  ablog compares post dates with naive datetimes.  The site's own rules are
  checked here too: categories from ``post_frontmatter_categories``, at most
  ``post_frontmatter_max_tags`` tags, a ``tested_with`` that is text, a ``cover`` that is an
  image file beside the post (warnings naming the field's line).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml
from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.config import declare
from zhiyuan.pages.figures.sizes import image_size
from zhiyuan.posts.schema import (
    COVER,
    DRAFT,
    LICENSE,
    LIST_FIELDS,
    PINNED,
    TESTED_WITH,
    SiteRules,
    cover_problem,
    licence_problem,
    TITLE,
    draft_problem,
    pinned_problem,
    tested_with_problem,
    unknown_field_problem,
)
from zhiyuan.posts.fields import (
    DateError,
    cover_path,
    is_published,
    local_datetime,
    post_date,
    site_timezone,
    site_today,
    split_list,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^---[ \t]*$", re.S | re.M)
_SCAN_CACHE = "post_frontmatter_scan.json"


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, except that an impossible date (``2026-13-45``) stays text.

    The stock loader raises a bare ValueError for it, with no position; as text
    it reaches :func:`~zhiyuan.posts.fields.local_datetime`, which says what is wrong and where.
    """


class _FastFrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser (when PyYAML has it): every post is scanned at every build."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in (_FrontMatterLoader, _FastFrontMatterLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class FrontMatterError(ValueError):
    """A post is unusable; ``line`` is 1-based within the file, ``subtype`` names the problem."""

    def __init__(self, message: str, line: int | None = None, subtype: str = "invalid") -> None:
        super().__init__(message)
        self.line = line
        self.subtype = subtype


@dataclass(frozen=True)
class PostStatus:
    """What the pre-scan decided about one post."""

    docname: str
    date: dt.datetime | None
    draft: bool = False  # ``draft: true``, whatever the date

    def is_published(self, today: dt.date) -> bool:
        return not self.draft and self.date is not None and self.date.date() <= today


def _field_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_front_matter(text: str) -> dict[str, Any]:
    """Return the YAML front matter of *text* as a dict (empty if there is none)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    try:
        return _mapping(yaml.load(match.group(1), Loader=_FastFrontMatterLoader))  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        pass  # parsed again by the pure-Python loader, whose errors say more
    try:
        data = yaml.load(match.group(1), Loader=_FrontMatterLoader)  # noqa: S506 (a safe loader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        line = match.group(1).count("\n", 0, exc.position) + 2
        raise FrontMatterError(
            f"front matter is not valid YAML: it contains the character U+{exc.character:04X}, "
            "which YAML does not allow",
            line,
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from exc
    return _mapping(data)


def _mapping(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of field: value", 2)
    return data


def scan_post(path: Path, docname: str, tz: dt.tzinfo) -> PostStatus:
    """Read *path*'s front matter and decide its date; raise FrontMatterError.

    A file that is not UTF-8 text (wrong encoding, NUL bytes) or is empty is
    refused here, before Sphinx reads it.  A byte-order mark and CRLF line ends
    are fine.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrontMatterError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02X} at offset {exc.start}); "
            "save it as UTF-8",
            raw.count(b"\n", 0, exc.start) + 1,
            "encoding",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise FrontMatterError(
            "file contains a NUL byte, so it is not a text file (damaged, or saved as UTF-16?)",
            text.count("\n", 0, text.index("\x00")) + 1,
            "encoding",
        )
    if not text.strip():
        raise FrontMatterError("file is empty; write the post or delete the file", 1, "empty")
    data = read_front_matter(text)
    try:
        date = local_datetime(data.get("date"), tz)
    except DateError as exc:
        raise FrontMatterError(str(exc), _field_line(text, "date")) from None
    return PostStatus(docname, date, _is_true(data.get(DRAFT)))


def _matched_posts(app: Sphinx, config: Config) -> list[tuple[str, str, str, os.stat_result]]:
    """``(docname, source, path, stat)`` of every file the post patterns match, by docname.

    Plain strings and one ``stat`` per file: this runs on every build, over every post.
    """
    patterns = config.blog_post_pattern
    if isinstance(patterns, str):
        patterns = [patterns]
    prefix = os.path.join(str(app.srcdir), "")
    found: dict[str, tuple[str, str, str, os.stat_result]] = {}
    for pattern in patterns:
        for match in glob(prefix + pattern, recursive=True):
            stat = os.stat(match)
            if S_ISREG(stat.st_mode):
                source = match[len(prefix):].replace(os.sep, "/")
                docname = os.path.splitext(source)[0]
                found[docname] = (docname, source, match, stat)
    return [found[docname] for docname in sorted(found)]


class _ScanCache:
    """Dates found by earlier pre-scans, by file, size and modification time (the doctree folder).

    Only good scans are kept: a broken post is read, and reported, on every build.
    """

    def __init__(self, app: Sphinx, tz: ZoneInfo) -> None:
        self._path = caches.path(app.doctreedir, _SCAN_CACHE)
        self._tz = tz
        try:
            self._old = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._old = {}
        self._new: dict[str, list[Any]] = {}

    def scan(self, path: str, docname: str, stat: os.stat_result) -> PostStatus:
        stamp = [stat.st_mtime_ns, stat.st_size, str(self._tz)]
        entry = self._old.get(path)
        if entry and entry[0] == stamp and len(entry) == 3:
            status = PostStatus(docname, dt.datetime.fromisoformat(entry[1]) if entry[1] else None, entry[2])
        else:
            status = scan_post(Path(path), docname, self._tz)
        self._new[path] = [stamp, status.date.isoformat() if status.date else None, status.draft]
        return status

    def save(self) -> None:
        if self._new != self._old:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._path.write_text(json.dumps(self._new, sort_keys=True), encoding="utf-8")


def _on_config_inited(app: Sphinx, config: Config) -> None:
    """Pre-scan posts: exclude drafts and posts whose front matter is broken."""
    tz = site_timezone(config)
    today = site_today(config)
    drafts: list[str] = []
    excluded: list[str] = []
    cache = _ScanCache(app, tz)
    for docname, source, path, stat in _matched_posts(app, config):
        try:
            status = cache.scan(path, docname, stat)
        except FrontMatterError as exc:
            logger.warning(
                "%s; the post is left out of the site",
                exc,
                type="post_frontmatter",
                subtype=exc.subtype,
                # a line always: a location without one is taken for a docname,
                # and there is no environment yet to resolve it
                location=f"{path}:{exc.line or 1}",
            )
            excluded.append(source)
            continue
        if not status.is_published(today):
            drafts.append(docname)
            if not config.post_frontmatter_show_drafts:
                excluded.append(source)
    cache.save()
    # a new list: the default value object is shared by every Sphinx app in a process
    config.exclude_patterns = [*config.exclude_patterns, *excluded]
    if drafts:
        logger.info(
            "drafts (draft: true, undated or dated after %s), %s: %s",
            today.isoformat(),
            "shown in this preview only" if config.post_frontmatter_show_drafts else "not published",
            ", ".join(drafts),
        )


def _is_true(value: Any) -> bool:
    """A front-matter flag (``draft: true``) as YAML or MyST's text leaves it."""
    return value is True or str(value).strip().lower() == "true"


def is_draft(config: Config, docname: str, metadata: dict[str, Any]) -> bool:
    """Whether *docname* is a post that only a preview builds: ``draft: true``, no ``date``, or
    one after today."""
    if docname not in getattr(config, "matched_blog_posts", ()):
        return False
    if _is_true(metadata.get(DRAFT)):
        return True
    date = post_date(metadata.get("date"), config)
    return date is None or not is_published(date, config)


def _normalised_list(raw: str) -> str | None:
    """``'["a", "b"]'`` (how MyST stores a YAML list) -> ``'a, b'``; None if not a list."""
    raw = raw.strip()
    if not raw.startswith("["):
        return None
    try:
        items = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    values = [str(item).strip() for item in items]
    for value in values:
        if "," in value:
            raise FrontMatterError(f"list item {value!r} contains a comma, which ablog cannot keep")
        if not value:
            raise FrontMatterError("list contains an empty item")
    return ", ".join(values)


class NormalisePostFrontMatter(SphinxTransform):
    """Rewrite list-valued and time-zoned front-matter fields into ablog's forms."""

    # after docutils' DocInfo (340), before ablog's CheckFrontMatter (800)
    default_priority = 790

    def apply(self, **kwargs: Any) -> None:
        if self.env.docname not in getattr(self.config, "matched_blog_posts", ()):
            return
        rules = SiteRules.from_config(self.config)
        for docinfo in self.document.findall(nodes.docinfo):
            # With a non-English `language`, docutils leaves `date` and `author`
            # as generic fields; with English they become bibliographic nodes.
            for field in list(docinfo.findall(nodes.field)):
                name = field[0].astext()
                if name in LIST_FIELDS:
                    self._normalise_list(field[-1], name)
                    self._check_site_rules(field[-1], name, rules)
                elif name == "date":
                    self._normalise_date(field[-1])
                elif name == TESTED_WITH and (problem := tested_with_problem(field[-1].astext())):
                    self._warn(field[-1], problem, "tested_with", name)
                elif name == LICENSE and (problem := licence_problem(field[-1].astext())):
                    self._warn(field[-1], problem, "license", name)
                elif name == PINNED and (problem := pinned_problem(field[-1].astext())):
                    self._warn(field[-1], problem, "pinned", name)
                elif name == COVER and (problem := self._cover_problem(field[-1].astext())):
                    self._warn(field[-1], problem, "cover", name)
                elif name == DRAFT and (problem := draft_problem(field[-1].astext())):
                    self._warn(field[-1], problem, "draft", name)
                elif problem := unknown_field_problem(name):
                    self._warn(field[-1], problem, "unknown", name)
            if any(field[0].astext() == TITLE for field in docinfo.findall(nodes.field)):
                self._check_one_title(docinfo)
            if not any(field[0].astext() == "tags" for field in docinfo.findall(nodes.field)):
                problem = rules.tags_problem(())
                if problem:  # no line of its own: the front matter's first
                    logger.warning(problem, type="post_frontmatter", subtype="tags", location=(self.env.docname, 1))
            for author in list(docinfo.findall(nodes.author)):
                self._normalise_list(author, "author")
            for date in list(docinfo.findall(nodes.date)):
                self._normalise_date(date)

    def _check_one_title(self, docinfo: nodes.docinfo) -> None:
        """A post whose front matter has ``title:`` (MyST makes it the first heading) has no
        ``#`` heading of its own: that would be a second title, and its sections would
        belong to neither."""
        top_sections = [node for node in self.document.children if isinstance(node, nodes.section)]
        if len(top_sections) < 2:
            return
        heading = top_sections[1]
        line = heading.line or (heading[0].line if len(heading) else None)
        title = next(field for field in docinfo.findall(nodes.field) if field[0].astext() == TITLE)
        self._warn(
            title[-1],
            f"the post has two titles: title: {title[-1].astext()!r} in its front matter and the heading "
            f"'# {heading[0].astext()}' (line {line}); keep one, and write the post's sections as ## headings",
            "title",
            TITLE,
        )

    def _cover_problem(self, value: str) -> str | None:
        """What is wrong with the post's ``cover``: the schema's rules, and a file whose size can be read."""
        file = self.env.srcdir / cover_path(value, self.env.doc2path(self.env.docname, base=False).as_posix())
        problem = cover_problem(value, file)
        if problem is None and image_size(file) is None:
            problem = f"cover {value.strip()!r} is not an image whose size can be read (damaged, or not what its name says)"
        return problem

    def _warn(self, node: nodes.Node, message: str, subtype: str, field: str | None = None) -> None:
        location: Any = node
        if field is not None:  # a docinfo field carries no line: find it in the file
            try:
                text = Path(self.document["source"]).read_text(encoding="utf-8-sig")
            except OSError:
                text = ""
            location = (self.env.docname, _field_line(text, field))
        logger.warning(message, type="post_frontmatter", subtype=subtype, location=location)

    @staticmethod
    def _replace_text(node: nodes.Element, text: str) -> None:
        if isinstance(node, nodes.field_body):
            node.children = []
            node += nodes.paragraph(text, text)
        else:
            node.children = [nodes.Text(text)]

    def _normalise_list(self, node: nodes.Element, name: str) -> None:
        try:
            normalised = _normalised_list(node.astext())
        except FrontMatterError as exc:
            self._warn(node, f"front matter field {name!r}: {exc}", "list", name)
            return
        if normalised is not None:
            self._replace_text(node, normalised)

    def _check_site_rules(self, node: nodes.Element, name: str, rules: SiteRules) -> None:
        """The site's own rules (:mod:`zhiyuan.posts.schema`): its categories, its number of tags."""
        values = split_list(node.astext())
        if name == "category":
            for problem in rules.category_problems(values):
                self._warn(node, problem, "category", name)
        elif name == "tags" and (problem := rules.tags_problem(values)):
            self._warn(node, problem, "tags", name)

    def _normalise_date(self, node: nodes.Element) -> None:
        tz = site_timezone(self.config)
        try:
            local = local_datetime(node.astext(), tz)
        except DateError as exc:
            self._warn(node, str(exc), "date", "date")
            return
        if local is not None:
            text = local.strftime("%Y-%m-%d") if local.time() == dt.time() else local.isoformat(" ")
            self._replace_text(node, text)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    declare(app, "zhiyuan.posts.frontmatter")
    app.connect("config-inited", _on_config_inited, priority=400)
    app.add_transform(NormalisePostFrontMatter)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
