"""Build-time benchmark: the portal against bare Sphinx + MyST on the same synthetic posts.

    python benchmarks/bench.py [--posts 300] [--posts 1000] [--repeat 3] [--out benchmarks/results]

For each corpus size, in one run and for both sites (alternating, build by build), it
times a clean build, a no-op rebuild, an edit of one post's body, an edit of one post's
title and the addition of one post; repeats each step and reports medians, the ratio
ours/bare, documents read and pages written per step, peak memory, the size of the
environment pickle and the gzip page weight of the home page and of a post.  It never
fails on a time: it is a measurement, not a test.  Results are printed and written as
JSON and Markdown.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corpus import post_text, write_corpus

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
STEPS = ["clean", "noop", "edit_body", "edit_title", "add_post"]

BARE_CONF = '''
extensions = ["myst_parser"]
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"]
language = "zh_CN"
'''


# -- sites -------------------------------------------------------------------


def _make_ours(root: Path, count: int) -> Path:
    """The portal: a copy of docs/ reading a synthetic posts/ (docs/posts is a link)."""
    shutil.copytree(REPO / "docs", root / "docs", symlinks=True, ignore=shutil.ignore_patterns("_build"))
    (root / "_ext").symlink_to(REPO / "_ext")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    write_corpus(root / "posts", count)
    return root / "docs"


def _make_bare(root: Path, count: int) -> Path:
    """Sphinx + MyST, default theme, the same posts as orphans, Sphinx's own search (language zh_CN)."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(BARE_CONF)
    (src / "index.md").write_text("# 首页\n")
    for path in write_corpus(src / "posts", count):
        path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\norphan: true\n", 1), encoding="utf-8")
    return src


def _posts_dir(src: Path) -> Path:
    return src / "posts"


# -- one build ---------------------------------------------------------------


def _build(src: Path, out: Path) -> dict:
    report = out.parent / "report.json"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(HERE / "run_sphinx.py"), str(report), "-b", "html", "-d", str(out.parent / "doctrees"),
         str(src), str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    seconds = time.perf_counter() - started
    log = result.stdout
    read = len(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] ", log, re.M))
    written = len(re.findall(r"^writing output\.\.\. \[\s*\d+%\] ", log, re.M))
    peak = json.loads(report.read_text())["peak_rss_mib"] if report.exists() else None
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
    return {"seconds": seconds, "read": read, "written": written, "peak_rss_mib": peak, "ok": result.returncode == 0}


def _edit(posts: Path, index: int, **kwargs) -> None:
    relative, text = post_text(index, **kwargs)
    (posts / relative).write_text(text, encoding="utf-8")


def _steps(src: Path, out: Path, count: int, bare: bool) -> Iterator[tuple[str, dict]]:
    """Run the steps on one site, yielding ``(step, result)`` after each build."""
    posts = _posts_dir(src)
    orphan = (lambda t: t.replace("---\n", "---\norphan: true\n", 1)) if bare else (lambda t: t)
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    yield "clean", _build(src, out)
    yield "noop", _build(src, out)

    relative, text = post_text(count // 2, extra="\n补充的一段正文，用来模拟一次编辑。\n")
    (posts / relative).write_text(orphan(text), encoding="utf-8")
    yield "edit_body", _build(src, out)

    relative, text = post_text(count // 2, title_suffix="（修订版）", extra="\n补充的一段正文，用来模拟一次编辑。\n")
    (posts / relative).write_text(orphan(text), encoding="utf-8")
    yield "edit_title", _build(src, out)

    relative, text = post_text(count + 1)
    (posts / relative).parent.mkdir(parents=True, exist_ok=True)
    (posts / relative).write_text(orphan(text), encoding="utf-8")
    yield "add_post", _build(src, out)

    # put the corpus back for the next repetition
    (posts / relative).unlink()
    relative, text = post_text(count // 2)
    (posts / relative).write_text(orphan(text), encoding="utf-8")
    yield "env_pickle_kib", (out.parent / "doctrees" / "environment.pickle").stat().st_size / 1024


def _run_alternately(sites: dict[str, Iterator[tuple[str, dict]]]) -> dict[str, dict[str, dict]]:
    """Advance the sites' steps in turn, one build each, so that a change of the machine's
    speed during the run (other load, frequency scaling) affects both sites alike."""
    results: dict[str, dict[str, dict]] = {name: {} for name in sites}
    for rounds in zip(*sites.values()):
        for name, (step, result) in zip(sites, rounds):
            results[name][step] = result
    return results


# -- page weight -------------------------------------------------------------


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) if path.is_file() else 0


def page_weight(out: Path, page: str) -> dict:
    """gzip bytes a first view of *page* downloads: HTML, CSS, JS and images, fonts excluded."""
    from bs4 import BeautifulSoup

    html_path = out / page
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    assets = {html_path.resolve()}
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for el in soup.select(f"{tag}[{attr}]"):
            if tag == "link" and not set(el.get("rel", [])) & {"stylesheet", "preload", "icon"}:
                continue
            url = el[attr].split("?")[0].split("#")[0]
            if "://" in url or url.endswith((".woff", ".woff2", ".ttf")):
                continue
            assets.add((html_path.parent / url).resolve())
    sizes = {str(a.relative_to(out.resolve())): _gzip_size(a) for a in sorted(assets)}
    return {"total_kib": sum(sizes.values()) / 1024, "largest": sorted(sizes.items(), key=lambda kv: -kv[1])[:5]}


# -- report ------------------------------------------------------------------


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def bench(count: int, repeat: int, workdir: Path) -> dict:
    ours_src = _make_ours(workdir / f"ours-{count}", count)
    bare_src = _make_bare(workdir / f"bare-{count}", count)
    runs = {"ours": [], "bare": []}
    for _ in range(repeat):
        results = _run_alternately({
            "bare": _steps(bare_src, workdir / f"out-bare-{count}" / "html", count, True),
            "ours": _steps(ours_src, workdir / f"out-ours-{count}" / "html", count, False),
        })
        for name in runs:
            runs[name].append(results[name])
    summary: dict = {"posts": count, "repeat": repeat, "steps": {}}
    for step in STEPS:
        row = {}
        for name in ("ours", "bare"):
            row[name] = {
                "seconds": _median([r[step]["seconds"] for r in runs[name]]),
                "read": _median([r[step]["read"] for r in runs[name]]),
                "written": _median([r[step]["written"] for r in runs[name]]),
                "peak_rss_mib": _median([r[step]["peak_rss_mib"] for r in runs[name]]),
                "ok": all(r[step]["ok"] for r in runs[name]),
            }
        row["ratio"] = row["ours"]["seconds"] / row["bare"]["seconds"]
        summary["steps"][step] = row
    summary["env_pickle_kib"] = {n: _median([r["env_pickle_kib"] for r in runs[n]]) for n in runs}
    out = workdir / f"out-ours-{count}" / "html"
    post = sorted((out / "posts").rglob("*.html"))[0].relative_to(out).as_posix()
    summary["page_weight"] = {"home": page_weight(out, "index.html"), "post": page_weight(out, post)}
    return summary


def to_markdown(results: list[dict], machine: str) -> str:
    lines = [f"Machine: {machine}", ""]
    for result in results:
        lines += [
            f"### {result['posts']} posts (median of {result['repeat']})",
            "",
            "| step | bare s | ours s | ours/bare | read (bare/ours) | written (bare/ours) | peak MiB (bare/ours) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for step, row in result["steps"].items():
            b, o = row["bare"], row["ours"]
            lines.append(
                f"| {step} | {b['seconds']:.2f} | {o['seconds']:.2f} | {row['ratio']:.2f}× | "
                f"{b['read']:.0f}/{o['read']:.0f} | {b['written']:.0f}/{o['written']:.0f} | "
                f"{b['peak_rss_mib']:.0f}/{o['peak_rss_mib']:.0f} |"
            )
        pickle = result["env_pickle_kib"]
        weight = result["page_weight"]
        lines += [
            "",
            f"Environment pickle: bare {pickle['bare']:.0f} KiB, ours {pickle['ours']:.0f} KiB.  "
            f"Page weight (gzip, fonts excluded): home {weight['home']['total_kib']:.0f} KiB, "
            f"post {weight['post']['total_kib']:.0f} KiB; largest on home: "
            + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in weight["home"]["largest"]),
            "",
        ]
    if len(results) >= 2:
        small, large = results[0], results[-1]
        growth = large["steps"]["clean"]["ours"]["seconds"] / small["steps"]["clean"]["ours"]["seconds"]
        lines.append(f"Growth of our clean build from {small['posts']} to {large['posts']} posts: {growth:.2f}×")
    return "\n".join(lines) + "\n"


def _compile_bytecode() -> None:
    """Compile the environment's and our extensions' modules, as ``pip install`` does.

    uv installs without bytecode, and with PYTHONDONTWRITEBYTECODE set (as on
    some CI machines) Python never caches it: every build would compile every
    module it imports anew, which weighs on the stack that imports more.
    """
    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")} | {str(REPO / "_ext")}
    for folder in sorted(folders):
        compileall.compile_dir(folder, quiet=2, workers=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable; default 300)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    sizes = args.posts or [300]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    _compile_bytecode()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        results = [bench(count, args.repeat, workdir) for count in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "bench-" + "-".join(map(str, sizes))
    (args.out / f"{stem}.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    markdown = to_markdown(results, machine)
    (args.out / f"{stem}.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
