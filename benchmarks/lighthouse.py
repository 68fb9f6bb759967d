"""Lighthouse on the built site, as a phone sees it: the pages of issue 21, served with gzip.

    python benchmarks/lighthouse.py --site _build/html [--runs 3] [--out benchmarks/results/lighthouse]
    python benchmarks/lighthouse.py --site before/html --site after/html --max-load 2.5

It builds nothing: it serves an existing HTML build on 127.0.0.1 with gzip (as Read the Docs
serves it) and the site's Content-Security-Policy, and runs Lighthouse (npm ``lighthouse``,
pinned in package.json, driving the system Chromium; mobile preset, simulated throttling) on
the home page, the post with the most formulas, the post with the most code, a category
archive, the glossary, the search page and the writing guide (every rich-page feature at work),
*runs* times each.  It prints, per page, the
medians of the four category scores, FCP, LCP, CLS, TBT, the bytes transferred, the
render-blocking requests and the console errors, and writes each report as JSON.  Given
several sites (a build before and after a change), it measures them in alternation, run by run
and page by page, and prints a table for each; with ``--max-load`` each Lighthouse run waits
until the machine's one-minute load average is under that, and the tables say the load the
runs started at.  A measurement: it never fails on a figure.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "_ext")]

from bs4 import BeautifulSoup  # noqa: E402

from browser import SYSTEM_CHROMIUM, QuietHandler, serve  # noqa: E402
from zhiyuan.theme.strict_csp import POLICY  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
#: Issue 21's limits, the same on every machine (tests/browser/test_lighthouse.py asserts them):
#: render-blocking requests per page, and KiB transferred per page (gzip, fonts included),
#: not counting the KaTeX fonts a page's own formulas use.
MAX_BLOCKING = 2
MAX_KIB = {"home": 100}
MAX_KIB_OTHER = 200
_COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class GzipHandler(QuietHandler):
    """Static files, text gzipped when the client accepts it, with the site's CSP."""

    extra_headers = {"Content-Security-Policy": POLICY}
    _cache: dict[Path, bytes] = {}

    def send_head(self):  # noqa: ANN201 - http.server's signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in _COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file()):
            return super().send_head()
        if path not in self._cache:
            self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self._cache[path]
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


def pages(site: Path) -> dict[str, str]:
    """The pages Lighthouse looks at, by name: relative URLs in *site*."""
    posts = sorted((site / "posts").rglob("*.html"))

    def most(selector: str) -> str:
        counts = {path: len(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select(selector))
                  for path in posts}
        return max(counts, key=lambda path: (counts[path], path.as_posix())).relative_to(site).as_posix()

    return {
        "home": "index.html",
        "math post": most(".katex"),
        "code post": most("div.highlight"),
        "category": "blog/category/large-model.html",
        "glossary": "glossary.html",
        "search": "search.html",
        # the writing guide shows every feature of issue 23 at work: tabs, dropdowns, figures,
        # Mermaid, Graphviz, a plot, code and math
        "features": "guide.html",
    }


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run on *url* (mobile preset); its JSON report, also written to *report*."""
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES)]
    env = {"CHROME_PATH": str(SYSTEM_CHROMIUM)} if SYSTEM_CHROMIUM.exists() else {}
    subprocess.run(command, check=True, env={**os.environ, **env}, capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))


def figures(report: dict) -> dict:
    """What the table shows of one report."""
    audits = report["audits"]

    def value(name: str) -> float:
        return audits[name].get("numericValue") or 0.0

    def items(name: str) -> list:
        return (audits.get(name, {}).get("details") or {}).get("items") or []

    return {
        **{name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES},
        "FCP s": value("first-contentful-paint") / 1000,
        "LCP s": value("largest-contentful-paint") / 1000,
        "CLS": value("cumulative-layout-shift"),
        "TBT ms": value("total-blocking-time"),
        "KiB": value("total-byte-weight") / 1024,
        "KaTeX font KiB": sum(item.get("transferSize", 0) for item in items("network-requests")
                              if "/KaTeX_" in item.get("url", "")) / 1024,
        "blocking": len(items("render-blocking-resources")),
        "console errors": len(items("errors-in-console")),
        "failed audits": sorted(
            name for name, audit in audits.items()
            if audit.get("score") is not None and audit["score"] < 1
            and audit.get("scoreDisplayMode") in ("binary", "numeric")
            and any(name in [ref["id"] for ref in report["categories"][category]["auditRefs"]]
                    for category in ("accessibility", "best-practices", "seo"))
        ),
    }


def _quiet_enough(max_load: float | None) -> float:
    """Wait until the one-minute load average is under *max_load* (if given); return it."""
    while max_load is not None and os.getloadavg()[0] >= max_load:
        time.sleep(10)
    return os.getloadavg()[0]


def _table(rows: dict) -> None:
    columns = [*CATEGORIES, "FCP s", "LCP s", "CLS", "TBT ms", "KiB", "KaTeX font KiB", "blocking", "console errors"]
    print("| page | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, row in rows.items():
        cells = [f"{row[c]:.2f}" if isinstance(row[c], float) and c in ("FCP s", "LCP s", "CLS")
                 else f"{row[c]:.0f}" for c in columns]
        print(f"| {name} (`{row['page']}`) | " + " | ".join(cells) + " |")
    for name, row in rows.items():
        if row["failed audits"]:
            print(f"{name}: audits not passed (accessibility, best practices, SEO): {', '.join(row['failed audits'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append",
                        help="a built HTML site (repeat it to measure several in alternation); default _build/html")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (medians)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/lighthouse")
    parser.add_argument("--max-load", type=float, help="start each run only when the 1-minute load is under this")
    parser.add_argument("--page", action="append", default=[], help="only this page, by name (repeatable)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is not installed: run `npm ci` (package.json pins it)")
    sites = args.site or [REPO / "_build/html"]
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)

    runs: dict[int, dict[str, list[dict]]] = {index: {} for index in range(len(sites))}
    loads: dict[int, list[float]] = {index: [] for index in range(len(sites))}
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serve(site, handler=GzipHandler)) for site in sites]
        chosen = [{name: path for name, path in pages(site).items() if not args.page or name in args.page}
                  for site in sites]
        for run in range(args.runs):
            for name in chosen[0]:
                for index, (base, paths) in enumerate(zip(bases, chosen, strict=True)):
                    loads[index].append(_quiet_enough(args.max_load))
                    out = args.out / (f"site{index + 1}" if len(sites) > 1 else "")
                    out.mkdir(parents=True, exist_ok=True)
                    report = lighthouse(base + paths[name], out / f"{name.replace(' ', '-')}-{run}.json")
                    runs[index].setdefault(name, []).append(figures(report))

    summary = {}
    for index, site in enumerate(sites):
        rows = {}
        for name, measured in runs[index].items():
            rows[name] = {key: (statistics.median(run[key] for run in measured) if key != "failed audits"
                                else sorted({audit for run in measured for audit in run[key]}))
                          for key in measured[0]}
            rows[name]["page"] = chosen[index][name]
        if len(sites) > 1:
            print(f"\n{site}: 1-minute load {min(loads[index]):.2f}–{max(loads[index]):.2f} when the runs started")
        _table(rows)
        summary[str(site)] = rows
    (args.out / "summary.json").write_text(json.dumps(summary if len(sites) > 1 else summary[str(sites[0])],
                                                      indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"reports: {args.out}")


if __name__ == "__main__":
    main()
