"""Search quality of the built site, as a reader gets it: the search page in Chromium.

    python benchmarks/search_quality.py [--site _build/html] [--queries benchmarks/search_queries.json]
                                        [--out benchmarks/results/search-quality.json]

It builds nothing: it serves an existing HTML build on 127.0.0.1, opens ``search.html`` in
headless Chromium and types every query of the query set into its field (one browser, one
page, as a reader types one query after another), waits until the results for that query are
listed (``#search-results`` says so in ``data-state`` and ``data-query``), reads the ranked
result links and maps them to docnames.  A page listed more than once
(its title and several of its sections) counts once, at its first position, so a rank is
the rank among distinct pages.

For each query: the rank of the first answer among the results.  Reported, overall and per
kind of query: hit@1 and hit@3 (share of queries with an answer first, or among the first
three), MRR@10 (mean of 1/rank, 0 when no answer is among the first ten) and the share of
queries with no result at all; and the time from the keystroke to the listed results (median
and 95th percentile).  A measurement: it never fails on a figure (``--check`` makes it fail
below the targets in :data:`TARGETS`, as the test suite does).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM, QuietHandler, serve

KINDS = ["zh", "en", "mixed", "question", "synonym", "partial"]

# Done once the results listed are those of the query typed.
FINISHED = """(query) => {
    const results = document.querySelector('#search-results');
    return results.dataset.state === 'done' && results.dataset.query === query;
}"""

RESULT_LINKS = """() => Array.from(document.querySelectorAll('#search-results a.zs-link'), (a) => a.href)"""
LATENCY = """() => Number(document.querySelector('#search-results').dataset.ms)"""
FIELD = ".zs-search-page form.bd-search input[name=q]"

#: what the site must reach on our query sets (tests/browser/test_search_quality.py checks them)
TARGETS = {"hit@1": 0.90, "hit@3": 0.97, "mrr@10": 0.93}
MAX_NO_RESULT = 0.02


class Handler(QuietHandler):
    """Quiet about the page's own fetches (result summaries) cut off by the next query."""

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


def docname(href: str, base: str) -> str | None:
    """``posts/2025/dpo`` for ``<base>posts/2025/dpo.html#anchor``; None outside the site."""
    if not href.startswith(base):
        return None
    path = urlsplit(href).path[len(urlsplit(base).path):]
    if path.endswith(".html"):
        path = path[: -len(".html")]
    elif path.endswith("/"):
        path += "index"
    return path


def ranked_pages(hrefs: list[str], base: str) -> list[str]:
    pages: list[str] = []
    for href in hrefs:
        name = docname(href, base)
        if name is not None and name not in pages:
            pages.append(name)
    return pages


def first_rank(pages: list[str], answers: list[str]) -> int | None:
    for rank, page in enumerate(pages, start=1):
        if page in answers:
            return rank
    return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def failures(summary: dict) -> list[str]:
    """The targets *summary* (over all queries) misses."""
    missed = [f"{name} {summary[name]:.2f} < {target:.2f}" for name, target in TARGETS.items()
              if summary[name] < target]
    if summary["no_result"] > MAX_NO_RESULT:
        missed.append(f"no result {summary['no_result']:.2f} > {MAX_NO_RESULT:.2f}")
    return missed


def summarize(rows: list[dict]) -> dict:
    n = len(rows)
    if not n:
        return {"queries": 0}
    ranks = [row["rank"] for row in rows]
    return {
        "queries": n,
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@3": sum(1 for r in ranks if r is not None and r <= 3) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / n,
        "no_result": sum(1 for row in rows if not row["results"]) / n,
        "ms_median": percentile([row["ms"] for row in rows], 0.5),
        "ms_p95": percentile([row["ms"] for row in rows], 0.95),
    }


def run(site: Path, queries: list[dict], timeout_ms: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site, handler=Handler) as base, sync_playwright() as playwright:
        options = {"args": CHROMIUM_ARGS}
        if SYSTEM_CHROMIUM.exists():
            options["executable_path"] = str(SYSTEM_CHROMIUM)
        browser = playwright.chromium.launch(**options)
        page = browser.new_page()
        page.goto(base + "search.html")
        for item in queries:
            page.fill(FIELD, item["query"])
            page.wait_for_function(FINISHED, arg=item["query"], timeout=timeout_ms)
            pages = ranked_pages(page.evaluate(RESULT_LINKS), base)
            rows.append({
                **item,
                "rank": first_rank(pages, item["answers"]),
                "results": len(pages),
                "top3": pages[:3],
                "ms": page.evaluate(LATENCY),
            })
        browser.close()
    return rows


def table(summary: dict) -> str:
    lines = [f"{'kind':<10}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR@10':>8}{'none':>8}{'ms p50':>8}{'ms p95':>8}"]
    for kind, s in summary.items():
        if not s["queries"]:
            continue
        lines.append(
            f"{kind:<10}{s['queries']:>5}{s['hit@1']:>8.2f}{s['hit@3']:>8.2f}"
            f"{s['mrr@10']:>8.2f}{s['no_result']:>8.2f}{s['ms_median']:>8.0f}{s['ms_p95']:>8.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build/html", help="a built HTML site")
    parser.add_argument("--queries", type=Path, default=REPO / "benchmarks/search_queries.json")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/search-quality.json")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for one search")
    parser.add_argument("--check", action="store_true", help="fail below the targets")
    args = parser.parse_args()

    if not (args.site / "search.html").exists() or not (args.site / "_search/index.json").exists():
        parser.error(f"{args.site} is not a built HTML site (no search.html or _search/index.json)")
    queries = json.loads(args.queries.read_text(encoding="utf-8"))

    start = time.perf_counter()
    rows = run(args.site, queries, int(args.timeout * 1000))
    elapsed = time.perf_counter() - start

    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    summary = {"all": summarize(rows)}
    for kind in KINDS + sorted(set(by_kind) - set(KINDS)):
        summary[kind] = summarize(by_kind[kind])

    print(table(summary))
    misses = [row for row in rows if row["rank"] is None or row["rank"] > 3]
    if misses:
        print("\nanswer not among the first three (rank; results; query):")
        for row in misses:
            rank = "-" if row["rank"] is None else row["rank"]
            print(f"  {rank:>3}  {row['results']:>3}  {row['query']}")
    print(f"\n{len(rows)} queries in {elapsed:.1f} s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"site": str(args.site), "seconds": round(elapsed, 1), "summary": summary, "queries": rows},
            ensure_ascii=False, indent=1,
        ) + "\n",
        encoding="utf-8",
    )
    print(f"written: {args.out}")
    missed = failures(summary["all"])
    if args.check and missed:
        sys.exit("below the targets: " + "; ".join(missed))


if __name__ == "__main__":
    main()
