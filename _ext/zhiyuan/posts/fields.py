"""The one reading of each front-matter field that more than one part of the site needs.

Dates, lists and authors reach our code as MyST leaves them in ``env.metadata`` (strings),
or as YAML gives them to the front-matter pre-scan.  Every part reads them through these
functions, so the home index, the post meta line, the feeds and the archives cannot
disagree about a post's date, its tags, its authors or whether it is published yet.
Pure functions of their arguments and the configuration; unit-tested in
``tests/posts/test_fields.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sphinx.config import Config


class DateError(ValueError):
    """A front-matter ``date`` that is not a date; the message says how to write one."""


def site_timezone(config: Config) -> ZoneInfo | None:
    """The site's time zone (``post_frontmatter_timezone``), or None where it is not set up."""
    name = getattr(config, "post_frontmatter_timezone", None)
    return ZoneInfo(name) if name else None


def site_today(config: Config) -> dt.date:
    """Today in the site's time zone (the machine's, where none is set up)."""
    tz = site_timezone(config)
    return dt.datetime.now(tz).date() if tz else dt.date.today()


# Hexo's dates: month, day and hour without leading zeros (``2019-1-15 5:10``)
_UNPADDED = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _unpadded_datetime(text: str) -> dt.datetime | None:
    """``2019-1-15 5:10`` (Hexo's form, which ISO 8601 does not allow) as a datetime, or None."""
    match = _UNPADDED.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def local_datetime(value: Any, tz: dt.tzinfo | None) -> dt.datetime | None:
    """A ``date`` value (YAML date or datetime, or ISO text) as a naive datetime in *tz*.

    None for no value; a value with a time zone is converted to *tz* (kept as it is
    where *tz* is None).  Raises :class:`DateError` for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = _unpadded_datetime(value.strip())
        if parsed is None:
            raise DateError(
                f"date {value!r} is not a date; write it as YYYY-MM-DD "
                "(optionally with a time, e.g. 2025-03-01 08:30 or 2025-03-01T08:30+08:00)"
            )
    else:
        raise DateError(f"date {value!r} is not a date; write it as YYYY-MM-DD")
    if parsed.tzinfo is not None and tz is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed


def post_date(value: Any, config: Config) -> dt.date | None:
    """The calendar date of a post's ``date`` in the site's time zone; None if it is not a date."""
    try:
        when = local_datetime(value, site_timezone(config))
    except DateError:
        return None
    return when.date() if when is not None else None


def is_published(date: dt.date, config: Config) -> bool:
    """A post dated *date* is published: it is not dated after today, in the site's time zone."""
    return date <= site_today(config)


def split_list(value: Any) -> tuple[str, ...]:
    """A list field (``a, b``, or a YAML list, which MyST stores as JSON: ``["a", "b"]``) as its items."""
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            items = json.loads(text)
        except ValueError:
            text = text[1:-1]  # [a, b] written by hand
        else:
            if isinstance(items, list):
                return tuple(str(item).strip() for item in items if str(item).strip())
    return tuple(part.strip().strip("'\"").strip() for part in text.split(",") if part.strip())


def author_names(config: Config, keys: tuple[str, ...]) -> tuple[str, ...]:
    """Display names of the authors *keys* (ablog's ``blog_authors``); the default author or
    authors (``blog_default_author``, a key or a list of keys) when *keys* is empty."""
    authors = getattr(config, "blog_authors", None) or {}
    if not keys:
        default = getattr(config, "blog_default_author", None)
        if default:
            keys = tuple(default) if isinstance(default, (list, tuple)) else (default,)
    return tuple(authors[key][0] if key in authors else key for key in keys)


def cover_path(value: Any, source: str) -> str:
    """Where a post's ``cover`` (a path relative to the post's file) is, relative to the source
    folder (``/``-separated), for the post whose file is *source* (relative to the source folder)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), str(value).strip()))
