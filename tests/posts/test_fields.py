"""The one reading of shared front-matter fields (_ext/zhiyuan/posts/fields.py), on plain values."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from zhiyuan.posts.fields import (
    DateError,
    author_names,
    is_published,
    local_datetime,
    post_date,
    site_today,
    split_list,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _config(**values):
    return SimpleNamespace(**values)


@pytest.mark.parametrize("value, items", [
    ("llm, rlhf", ("llm", "rlhf")),
    ("['llm', 'rlhf']", ("llm", "rlhf")),       # how MyST stores a YAML list
    ('["Large Model"]', ("Large Model",)),
    ('["\\u6ce8\\u610f\\u529b", "KV cache"]', ("注意力", "KV cache")),  # MyST's JSON escapes CJK
    ("[a, b]", ("a", "b")),                      # written by hand
    ("  single  ", ("single",)),
    ("a,, b ,", ("a", "b")),
    ("", ()),
    (None, ("None",)),                          # str() of what is there, as MyST gives it
])
def test_split_list(value, items):
    assert split_list(value) == items


@pytest.mark.parametrize("value, expected", [
    (dt.date(2025, 3, 1), dt.datetime(2025, 3, 1)),
    ("2025-03-01", dt.datetime(2025, 3, 1)),
    ("2025-03-01 08:30", dt.datetime(2025, 3, 1, 8, 30)),
    # a time zone is converted to the site's: 20:00 UTC is 04:00 the next day in Shanghai
    ("2025-03-01T20:00+00:00", dt.datetime(2025, 3, 2, 4, 0)),
    (dt.datetime(2025, 3, 1, 20, tzinfo=dt.timezone.utc), dt.datetime(2025, 3, 2, 4, 0)),
    (None, None),
    ("", None),
])
def test_local_datetime(value, expected):
    assert local_datetime(value, SHANGHAI) == expected


@pytest.mark.parametrize("value", ["2026-13-45", "yesterday", 20250301, ["2025-03-01"]])
def test_a_date_that_is_not_one_says_how_to_write_it(value):
    with pytest.raises(DateError, match="YYYY-MM-DD"):
        local_datetime(value, SHANGHAI)


def test_without_a_site_time_zone_a_zoned_date_keeps_its_own():
    assert local_datetime("2025-03-01T20:00+00:00", None).date() == dt.date(2025, 3, 1)
    assert post_date("2025-03-01T20:00+00:00", _config()) == dt.date(2025, 3, 1)
    shanghai = _config(post_frontmatter_timezone="Asia/Shanghai")
    assert post_date("2025-03-01T20:00+00:00", shanghai) == dt.date(2025, 3, 2)


def test_post_date_of_something_else_is_none():
    assert post_date("soon", _config(post_frontmatter_timezone="Asia/Shanghai")) is None


def test_today_and_published_follow_the_site_time_zone():
    # Kiritimati (UTC+14) is always at least a calendar day ahead of Pago Pago (UTC-11)
    ahead = _config(post_frontmatter_timezone="Pacific/Kiritimati")
    behind = _config(post_frontmatter_timezone="Pacific/Pago_Pago")
    assert site_today(ahead) > site_today(behind)
    assert is_published(site_today(ahead), ahead)
    assert not is_published(site_today(ahead), behind)
    assert site_today(_config()) == dt.date.today()


@pytest.mark.parametrize("default, keys, names", [
    ("editor", (), ("知源编辑部",)),
    (["editor", "guest"], (), ("知源编辑部", "客座作者")),   # a list of default authors
    ("editor", ("guest",), ("客座作者",)),
    ("editor", ("nobody",), ("nobody",)),                      # an unknown key is its own name
    (None, (), ()),
])
def test_author_names(default, keys, names):
    authors = {"editor": ("知源编辑部", None), "guest": ("客座作者", None)}
    config = _config(blog_authors=authors, blog_default_author=default)
    assert author_names(config, keys) == names
