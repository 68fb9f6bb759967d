"""Live-preview latency: from saving a post to the browser showing the change, in `nox -s serve`.

    python benchmarks/preview_latency.py [--posts 300] [--posts 1000] [--edits 7] [--envdir .nox]

For each corpus size it makes a copy of the repository with the real posts and that many
synthetic ones (bench.make_repository), starts ``nox -s serve`` there (the README's
command, with the nox environments in --envdir; their installation, if any, comes before
the first build and is not timed), waits for the first build, opens a synthetic post
in headless Chromium and then, --edits times, appends a paragraph with a unique marker to
the post's file and waits until the page the browser shows holds the marker.  It prints the
median and 95th percentile of those latencies and where the time went, read from
sphinx-autobuild's log as it arrives: until the change was seen, the rebuild, and from the
rebuild's end to the marker on screen.  A measurement, never a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from bench import REPO, make_repository
from corpus import post_text

CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Log:
    """The serve command's output, each line with the moment it arrived."""

    def __init__(self, stream) -> None:
        self.lines: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._lock:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def first_after(self, since: float, pattern: str) -> float | None:
        with self._lock:
            return next((t for t, line in self.lines if t >= since and re.search(pattern, line)), None)

    def tail(self, count: int = 30) -> str:
        with self._lock:
            return "\n".join(line for _, line in self.lines[-count:])


def _wait_for_page(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not served within {timeout:.0f} s")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(count: int, edits: int, envdir: Path, workdir: Path, nox_python: str = sys.executable) -> dict:
    """Start the preview on a corpus of *count* synthetic posts and time *edits* edits."""
    from playwright.sync_api import sync_playwright

    root = make_repository(workdir / f"repo-{count}", count)  # the posts of HEAD and *count* synthetic ones
    post = "posts/" + post_text(count // 2)[0].removesuffix(".md")  # a synthetic post mid-corpus
    port = _free_port()
    serve = subprocess.Popen(
        [nox_python, "-m", "nox", "--envdir", str(envdir), "-f", str(root / "noxfile.py"),
         "-s", "serve", "--", "--port", str(port)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log = _Log(serve.stdout)
    latencies, breakdown = [], []
    try:
        started = time.perf_counter()
        url = f"http://127.0.0.1:{port}/{post}.html"
        try:
            _wait_for_page(url, timeout=900)
        except TimeoutError:
            print(log.tail(), file=sys.stderr)
            raise
        first_build = time.perf_counter() - started
        source = root / f"{post}.md"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            page.goto(url)
            time.sleep(2)  # let the live-reload socket connect
            for _ in range(edits):
                marker = f"MARKER{uuid.uuid4().hex[:12]}"
                text = source.read_text(encoding="utf-8")
                saved = time.perf_counter()
                source.write_text(text + f"\n\n预览标记段落 {marker}。\n", encoding="utf-8")
                page.get_by_text(marker).wait_for(timeout=120_000)
                shown = time.perf_counter()
                latencies.append(shown - saved)
                seen = log.first_after(saved, r"Detected changes|Rebuilding")
                built = log.first_after(seen or saved, r"Serving on")
                if seen and built:
                    breakdown.append({"seen": seen - saved, "build": built - seen, "reload": shown - built})
                time.sleep(1.0)  # as an author would pause between saves
            browser.close()
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    parts = {key: statistics.median(b[key] for b in breakdown) for key in ("seen", "build", "reload")} if breakdown else {}
    return {
        "posts": count,
        "edits": edits,
        "first_build_s": first_build,
        "latencies_s": latencies,
        "median_s": statistics.median(latencies),
        "p95_s": _percentile(latencies, 0.95),
        "median_parts_s": parts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable; default 300)")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--envdir", type=Path, default=REPO / ".nox", help="the nox environments to reuse")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="portal-preview-") as workdir:
        for count in args.posts or [300]:
            result = measure(count, args.edits, args.envdir.resolve(), Path(workdir))
            results.append(result)
            parts = ", ".join(f"{key} {value:.2f} s" for key, value in result["median_parts_s"].items())
            print(f"{count} posts: save → page shows it: median {result['median_s']:.2f} s, "
                  f"p95 {result['p95_s']:.2f} s over {result['edits']} edits ({parts}); "
                  f"first build {result['first_build_s']:.1f} s")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
