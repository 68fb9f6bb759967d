"""What search costs a reader: bytes fetched per query and time per keystroke, in Chromium.

    python benchmarks/search_load.py --site _build/html
    python benchmarks/search_load.py --posts 1000     # the real posts plus 1,000 synthetic ones

With ``--posts N`` it builds that site first (the real posts and N synthetic ones of
benchmarks/corpus.py, into a temporary folder).  Then, on the site served on 127.0.0.1:

* **bytes per query**: each query of the query set is typed into ``search.html`` in a fresh
  browser context (an empty cache), and every file fetched under ``_search/`` is counted at its
  gzip size (level 6, as Read the Docs serves it), ``index.json`` included;
* **all search data**: every file under ``_search/``, gzipped;
* **time per keystroke**: the query set is typed one character at a time into one page (the
  index loaded, as for a reader who has started searching); for each keystroke, the time from
  the input event to the listed results, as the page reports it.

A measurement: it prints figures and never fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "benchmarks")]

from bench import _make_ours  # noqa: E402
from browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM, serve  # noqa: E402
from search_quality import FIELD, FINISHED, Handler, percentile  # noqa: E402


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def build_site(posts: int, root: Path) -> Path:
    """The benchmark's site (benchmarks/bench.py) with the real posts beside the synthetic ones."""
    docs = _make_ours(root, posts)
    shutil.copytree(REPO / "posts", root / "posts", dirs_exist_ok=True)
    out = root / "html"
    built = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(root / "doctrees"),
                            str(docs), str(out)], capture_output=True, text=True,
                           env={**os.environ, "SOURCE_DATE_EPOCH": "1763769600"})
    if built.returncode:
        sys.exit(built.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built HTML site")
    parser.add_argument("--posts", type=int, help="build the real posts plus this many synthetic ones")
    parser.add_argument("--queries", type=Path, default=REPO / "benchmarks/search_queries.json")
    args = parser.parse_args()
    queries = [item["query"] for item in json.loads(args.queries.read_text(encoding="utf-8"))]

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build_site(args.posts or 0, Path(scratch))
        folder = site / "_search"
        sizes = {path.relative_to(site).as_posix(): gzip_size(path) for path in folder.rglob("*.json")}
        pages = len(json.loads((folder / "index.json").read_text(encoding="utf-8"))["pages"])
        print(f"pages in the index: {pages}")
        print(f"all search data: {len(sizes)} files, {sum(sizes.values()) / 1024:.0f} KiB gzip; "
              f"index.json {sizes['_search/index.json'] / 1024:.1f} KiB gzip")

        from playwright.sync_api import sync_playwright

        with serve(site, handler=Handler) as base, sync_playwright() as playwright:
            options = {"args": CHROMIUM_ARGS}
            if SYSTEM_CHROMIUM.exists():
                options["executable_path"] = str(SYSTEM_CHROMIUM)
            browser = playwright.chromium.launch(**options)

            per_query = []
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                fetched: set[str] = set()
                page.on("request", lambda request: fetched.add(urlsplit(request.url).path.lstrip("/")))
                page.goto(base + "search.html")
                page.fill(FIELD, query)
                page.wait_for_function(FINISHED, arg=query)
                page.wait_for_function("() => document.querySelector('#search-results').dataset.snippets === 'done'")
                per_query.append(sum(sizes.get(path, 0) for path in fetched))
                context.close()
            print(f"bytes per query (cold cache, gzip): median {percentile(per_query, 0.5) / 1024:.0f} KiB, "
                  f"95th percentile {percentile(per_query, 0.95) / 1024:.0f} KiB, "
                  f"max {max(per_query) / 1024:.0f} KiB")

            page = browser.new_page()
            page.goto(base + "search.html")
            keystrokes = []
            for query in queries:
                page.fill(FIELD, "")
                typed = ""
                for char in query:
                    typed += char
                    page.fill(FIELD, typed)
                    page.wait_for_function(FINISHED, arg=typed)
                    keystrokes.append(page.evaluate("() => Number(document.querySelector('#search-results').dataset.ms)"))
            print(f"time per keystroke ({len(keystrokes)} keystrokes): median {percentile(keystrokes, 0.5):.0f} ms, "
                  f"95th percentile {percentile(keystrokes, 0.95):.0f} ms, max {max(keystrokes):.0f} ms")
            browser.close()


if __name__ == "__main__":
    main()
