"""The search meets its quality targets on the built site (benchmarks/search_quality.py, the
query sets in benchmarks/): every query typed into search.html in Chromium."""

from __future__ import annotations

import json
import sys

import pytest

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import search_quality  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.site]


@pytest.mark.parametrize("queries", ["search_queries.json", "search_queries_holdout.json"])
def test_the_search_meets_its_targets(site, queries):
    items = json.loads((REPO / "benchmarks" / queries).read_text(encoding="utf-8"))
    assert len(items) >= 90
    rows = search_quality.run(site, items, timeout_ms=15_000)
    summary = search_quality.summarize(rows)
    misses = [(row["query"], row["rank"]) for row in rows if row["rank"] != 1]
    assert search_quality.failures(summary) == [], (summary, misses)
