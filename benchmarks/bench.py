"""Build-time benchmark: the portal against bare Sphinx + MyST on the same synthetic posts.

    python benchmarks/bench.py [--posts 300] [--posts 1000] [--repeat 3] [--out benchmarks/results]
    python benchmarks/bench.py --nox PYTHON [--preview-edits 7] ...   # what `nox -s bench` runs

With ``--nox`` it times the command the README gives authors, ``nox -s build`` (the staged
build), in a copy of the repository at HEAD with the real posts and the synthetic ones,
against bare ``sphinx-build`` launched the same way: a ``build`` session of a noxfile of its
own that installs the same lock into the same reused environment, on the same posts (as
orphans, Sphinx + MyST, the default theme).  PYTHON is an interpreter with nox (the one
running ``nox -s bench``).  It then measures the live preview's latency
(benchmarks/preview_latency.py).  Without ``--nox`` it times ``sphinx-build`` alone, in
this process's environment, on the synthetic posts only.

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


# what a copy of the repository needs for `nox -s build` and `nox -s serve`
_REPO_PATHS = ("docs", "posts", "_ext", "noxfile.py", "pyproject.toml", "package.json", "package-lock.json",
               "requirements")


def make_repository(root: Path, count: int, commit: str = "HEAD") -> Path:
    """A copy of the repository at *commit* whose posts are the real ones and *count* synthetic ones.

    Taken from git, not from the working tree: what is measured is a commit, as a clean clone
    has it, whatever work is under way in the repository during the run.  Its nox sessions run
    as in the repository.  node_modules/ is the repository's, file by file as hard links (no
    copy of the bytes): when the commit's lock differs from the one it was installed from, the
    copy's session runs `npm ci`, which then removes the links and installs anew in the copy —
    never into the repository's folder, as it would through a symbolic link to it.
    """
    root.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit, *_REPO_PATHS],
                             capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive.stdout, check=True)
    shutil.copytree(REPO / "node_modules", root / "node_modules", symlinks=True, copy_function=os.link)
    write_corpus(root / "posts", count)
    return root


BARE_NOXFILE = '''"""bench.py's bare baseline: plain sphinx-build, launched as the portal's `nox -s build` is."""

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True


@nox.session
def build(session: nox.Session) -> None:
    session.install("-r", "requirements/docs.txt", env={"UV_COMPILE_BYTECODE": "1"})
    session.run("sphinx-build", "-b", "html", "--keep-going", "-d", "_build/doctrees", "src", "_build/html",
                *session.posargs)
'''


def _make_bare_repository(root: Path, repository: Path) -> Path:
    """The bare site over the posts of *repository* (a :func:`make_repository`), with a noxfile
    whose ``build`` session installs the same lock.  No ``-W``: the real posts link to the
    portal's glossary and labels, which the bare site lacks (a warning costs no time)."""
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(BARE_CONF)
    (src / "index.md").write_text("# 首页\n")
    shutil.copytree(repository / "posts", src / "posts")
    for path in (src / "posts").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            path.write_text(text.replace("---\n", "---\norphan: true\n", 1), encoding="utf-8")
    shutil.copytree(repository / "requirements", root / "requirements")
    (root / "noxfile.py").write_text(BARE_NOXFILE)
    return src


def _nox_builder(nox_python: str, envdir: Path):
    """A build function running ``nox -s build`` in the repository that holds *out*."""

    def build(src: Path, out: Path) -> dict:
        root = out.parent.parent
        started = time.perf_counter()
        result = subprocess.run(
            [nox_python, "-m", "nox", "--envdir", str(envdir), "-f", str(root / "noxfile.py"), "-s", "build"],
            capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONHASHSEED": "0"}, check=False,
        )
        seconds = time.perf_counter() - started
        return {"seconds": seconds, **_counts(result.stdout + result.stderr), "peak_rss_mib": None,
                "ok": _report_failure(result)}

    return build


def _counts(log: str) -> dict:
    return {"read": len(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] ", log, re.M)),
            "written": len(re.findall(r"^writing output\.\.\. \[\s*\d+%\] ", log, re.M))}


def _report_failure(result: subprocess.CompletedProcess) -> bool:
    if result.returncode != 0:
        print((result.stdout + result.stderr)[-3000:], file=sys.stderr)
    return result.returncode == 0


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
    peak = json.loads(report.read_text())["peak_rss_mib"] if report.exists() else None
    return {"seconds": seconds, **_counts(result.stdout), "peak_rss_mib": peak, "ok": _report_failure(result)}


def _edit(posts: Path, index: int, **kwargs) -> None:
    relative, text = post_text(index, **kwargs)
    (posts / relative).write_text(text, encoding="utf-8")


def _steps(src: Path, out: Path, count: int, bare: bool, build=_build) -> Iterator[tuple[str, dict]]:
    """Run the steps on one site with *build(src, out)*, yielding ``(step, result)`` after each build."""
    _build = build  # the steps below read as they did before
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


def bench(count: int, repeat: int, workdir: Path, nox_python: str | None = None, envdir: Path | None = None) -> dict:
    if nox_python:  # the README's command, and bare Sphinx launched the same way
        repository = make_repository(workdir / f"ours-{count}", count)
        ours_src, ours_out = repository / "docs", repository / "_build" / "html"
        bare_src = _make_bare_repository(workdir / f"bare-{count}", repository)
        bare_out = bare_src.parent / "_build" / "html"
        build = _nox_builder(nox_python, envdir or REPO / ".nox")
        build(ours_src, ours_out)  # once, untimed: nox makes or updates the environment
        shutil.rmtree(ours_out.parent)
    else:
        ours_src, ours_out = _make_ours(workdir / f"ours-{count}", count), workdir / f"out-ours-{count}" / "html"
        bare_src, bare_out = _make_bare(workdir / f"bare-{count}", count), workdir / f"out-bare-{count}" / "html"
        build = _build
    runs = {"ours": [], "bare": []}
    for _ in range(repeat):
        results = _run_alternately({
            "bare": _steps(bare_src, bare_out, count, True, build),
            "ours": _steps(ours_src, ours_out, count, False, build),
        })
        for name in runs:
            runs[name].append(results[name])
    summary: dict = {"posts": count, "repeat": repeat, "through_nox": bool(nox_python), "steps": {}}
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
    out = ours_out
    post = sorted((out / "posts").rglob("*.html"))[0].relative_to(out).as_posix()
    summary["page_weight"] = {"home": page_weight(out, "index.html"), "post": page_weight(out, post)}
    return summary


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def to_markdown(results: list[dict], machine: str) -> str:
    lines = [f"Machine: {machine}", ""]
    for result in results:
        how = ("`nox -s build` against bare sphinx-build in a nox session" if result.get("through_nox")
               else "sphinx-build alone")
        lines += [
            f"### {result['posts']} posts, {how} (median of {result['repeat']})",
            "",
            "| step | bare s | ours s | ours/bare | read (bare/ours) | written (bare/ours) | peak MiB (bare/ours) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for step, row in result["steps"].items():
            b, o = row["bare"], row["ours"]
            lines.append(
                f"| {step} | {b['seconds']:.2f} | {o['seconds']:.2f} | {row['ratio']:.2f}× | "
                f"{b['read']:.0f}/{o['read']:.0f} | {b['written']:.0f}/{o['written']:.0f} | "
                f"{_mib(b['peak_rss_mib'])}/{_mib(o['peak_rss_mib'])} |"
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
        preview = result.get("preview")
        if preview:
            parts = ", ".join(f"{key} {value:.2f} s" for key, value in preview["median_parts_s"].items())
            lines += [f"Live preview (`nox -s serve`), save → browser shows the change: median "
                      f"{preview['median_s']:.2f} s, p95 {preview['p95_s']:.2f} s over {preview['edits']} edits "
                      f"(medians: {parts}).", ""]
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
    parser.add_argument("--nox", metavar="PYTHON", help="time `nox -s build` (nox run by PYTHON) against bare "
                        "sphinx-build launched the same way")
    parser.add_argument("--envdir", type=Path, default=REPO / ".nox", help="the nox environments to reuse")
    parser.add_argument("--preview-edits", type=int, default=7, help="with --nox: edits timed in the live "
                        "preview (0: none)")
    args = parser.parse_args(argv)
    sizes = args.posts or [300]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    _compile_bytecode()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        results = []
        for count in sizes:
            result = bench(count, args.repeat, workdir, args.nox, args.envdir.resolve())
            if args.nox and args.preview_edits:
                from preview_latency import measure

                result["preview"] = measure(count, args.preview_edits, args.envdir.resolve(), workdir / "preview",
                                            nox_python=args.nox)
            results.append(result)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = ("bench-nox-" if args.nox else "bench-") + "-".join(map(str, sizes))
    (args.out / f"{stem}.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    markdown = to_markdown(results, machine)
    (args.out / f"{stem}.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
