"""Tasks for the portal.

    nox -s build      # the site, warnings as errors, into _build/html
    nox -s tests      # every test (pass extra pytest arguments after --)
    nox -s serve      # live preview on http://127.0.0.1:8000
    nox -s new -- "标题" --category "Large Model" --tags llm,rlhf [--slug s] [--series id] [--draft]
    nox -s import -- SOURCE --from jekyll|hexo|hugo [--dry-run] [--map-category OLD=NEW]
    nox -s linkcheck  # check the articles' external links (needs the network; not in CI)
    nox -s bench      # build-time benchmark against bare Sphinx (-- --posts 1000)
    nox -s search-eval  # search quality in Chromium on the query sets (fails below the targets)
    nox -s lighthouse   # Lighthouse on six pages, served with gzip (-- --runs 1 for a quick look)
    nox -s lock       # re-resolve requirements/*.txt from pyproject.toml
    nox -s tests-latest  # upstream canary: every test on the newest releases (needs PyPI)

Every session installs the exact versions locked in requirements/.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "_ext"))  # our package, for the tools the sessions share
from zhiyuan.tools import npm_assets  # noqa: E402  (plain Python: no Sphinx needed)

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["build", "tests"]

SOURCE_DIR = "docs"
HTML_DIR = os.path.join("_build", "html")
DOCTREE_DIR = os.path.join("_build", "doctrees")
LOCKED_GROUPS = ("docs", "test", "serve", "new")
# The articles' code runs on PyTorch's CPU build (torch==X+cpu), which PyPI does not carry:
# a machine may hold its wheel in a local folder (PIP_FIND_LINKS), else PyTorch's CPU index serves it.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _local_wheel_folders() -> list[str]:
    """The folders of wheels this machine offers pip (PIP_FIND_LINKS, else pip's configuration)."""
    links = os.environ.get("PIP_FIND_LINKS", "").split()
    if not links:
        found = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.find-links"],
                               capture_output=True, text=True, check=False)
        links = found.stdout.split() if found.returncode == 0 else []
    return links


def _torch_cpu_source() -> list[str]:
    """Installer options that find the CPU build of torch, locally where the machine has it."""
    links = _local_wheel_folders()
    options = [option for link in links for option in ("--find-links", link)]
    if not any(glob.glob(os.path.join(link, "torch-*+cpu-*.whl")) for link in links):
        options += ["--extra-index-url", TORCH_CPU_INDEX, "--index-strategy", "unsafe-best-match"]
    return options


def _install(session: nox.Session, group: str) -> None:
    """The locked requirements of *group*, with bytecode compiled (pip does that, uv only when asked):
    without it, and with PYTHONDONTWRITEBYTECODE set, every build compiles every module it imports."""
    requirements = f"requirements/{group}.txt"
    with open(requirements, encoding="utf-8") as lock:
        torch_source = _torch_cpu_source() if "+cpu" in lock.read() else []
    session.install("-r", requirements, *torch_source, env={"UV_COMPILE_BYTECODE": "1"})


def _install_assets(session: nox.Session) -> None:
    """KaTeX's CSS and fonts, at the version package-lock.json pins: ``npm ci`` when node_modules/
    is missing or out of date with the lock (a stamp in it says which lock it holds), else nothing."""
    if not npm_assets.npm_ci_needed(ROOT):
        session.log("node_modules/ is up to date with package-lock.json")
        return
    if shutil.which("npm"):
        session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)
        npm_assets.write_stamp(ROOT)
    else:
        session.warn("npm not found: using node_modules/ as it is (run `npm ci` once with Node.js)")


def _sphinx_build_args(outdir: str, doctrees: str = DOCTREE_DIR) -> list[str]:
    return ["-b", "html", "-W", "--keep-going", "-d", doctrees, SOURCE_DIR, outdir]


@nox.session
def build(session: nox.Session) -> None:
    """Build the site into _build/html with warnings as errors.

    The build runs in a spare slot kept level with _build/html and takes its place only when it
    succeeded (_ext/zhiyuan/tools/staged_build.py), so a failed build leaves the last good site.
    """
    _install(session, "docs")
    _install_assets(session)
    session.run(
        "python", "_ext/zhiyuan/tools/staged_build.py", SOURCE_DIR, HTML_DIR, DOCTREE_DIR,
        "-b", "html", "-W", "--keep-going", *session.posargs,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite."""
    _install(session, "test")
    _install_assets(session)
    session.run("pytest", *session.posargs)


LIGHTHOUSE_DIR = os.path.join("_build", "lighthouse")


@nox.session
def lighthouse(session: nox.Session) -> None:
    """Build the site and run Lighthouse (npm, mobile preset, three runs per page) on six of its
    pages served with gzip; print the medians and keep the reports (benchmarks/lighthouse.py)."""
    _install(session, "test")
    _install_assets(session)
    html = os.path.join(LIGHTHOUSE_DIR, "html")
    session.run("python", "-m", "sphinx", "-q", *_sphinx_build_args(html, os.path.join(LIGHTHOUSE_DIR, "doctrees")))
    session.run("python", "benchmarks/lighthouse.py", "--site", html, "--out", os.path.join(LIGHTHOUSE_DIR, "reports"),
                *session.posargs)


SEARCH_EVAL_DIR = os.path.join("_build", "search-eval")
SEARCH_QUERY_SETS = ("benchmarks/search_queries.json", "benchmarks/search_queries_holdout.json")


@nox.session(name="search-eval")
def search_eval(session: nox.Session) -> None:
    """Build the site and type every query of the query sets into its search page in Chromium;
    print hit@1, hit@3, MRR@10, the share without results and the time per query, and fail
    below the targets (benchmarks/search_quality.py).  The test suite runs the same check."""
    _install(session, "test")
    _install_assets(session)
    html = os.path.join(SEARCH_EVAL_DIR, "html")
    session.run("python", "-m", "sphinx", "-q", *_sphinx_build_args(html, os.path.join(SEARCH_EVAL_DIR, "doctrees")))
    for queries in SEARCH_QUERY_SETS:
        name = os.path.splitext(os.path.basename(queries))[0]
        session.run("python", "benchmarks/search_quality.py", "--site", html, "--queries", queries,
                    "--out", os.path.join(SEARCH_EVAL_DIR, f"{name}.json"), "--check")


# Packages the canary keeps at their locked version, and why: torch's newest release on
# PyPI is the multi-GB CUDA build, and it only runs the articles' code, not the site.
CANARY_KEEPS_LOCKED = ("torch",)
# Themes whose newest release a pin keeps out (sphinx-book-theme 1.4 pins pydata-sphinx-theme
# exactly): the canary also runs the tests of our patches to them against that release alone.
CANARY_PINNED_THEMES = {"pydata-sphinx-theme": ["tests/theme/test_page_toc.py", "tests/theme/test_sidebar_nav.py"]}


def _uncapped(group: str) -> list[str]:
    """The requirements of dependency group *group*, without upper bounds or exact pins."""
    with open("pyproject.toml", "rb") as file:
        groups = tomllib.load(file)["dependency-groups"]
    requirements = []
    for item in groups[group]:
        if isinstance(item, dict):
            requirements += _uncapped(item["include-group"])
            continue
        name = re.match(r"[A-Za-z0-9._-]+", item).group(0)
        if name in CANARY_KEEPS_LOCKED:
            with open("requirements/test.txt", encoding="utf-8") as lock:  # holds every group
                requirements += [line.split("#")[0].strip() for line in lock if line.startswith(f"{name}==")]
            continue
        floors = [part.strip() for part in item[len(name):].split(",") if part.strip().startswith(">")]
        requirements.append(name + ",".join(floors))
    return requirements


_PRINT_VERSIONS = (
    "import importlib.metadata as m; print('\\n'.join(sorted(f'{d.metadata[\"Name\"]}=={d.version}' "
    "for d in m.distributions())))"
)


@nox.session(name="tests-latest")
def tests_latest(session: nox.Session) -> None:
    """Upstream canary: the whole suite on the newest release of every dependency, no upper caps.

    What it cannot reach (a package pinned by another) is named in UPSTREAM.md; our patches
    to a pinned theme are then also tested against that theme's newest release on its own.
    """
    session.install("--upgrade", *_uncapped("test"), *_torch_cpu_source())
    _install_assets(session)
    session.run("python", "-c", _PRINT_VERSIONS)
    session.run("pytest", *session.posargs)
    for theme, tests in CANARY_PINNED_THEMES.items():
        session.install("--upgrade", "--no-deps", theme)
        session.run("pytest", *tests)


PREVIEW_DIR = os.path.join("_build", "preview")


@nox.session
def serve(session: nox.Session) -> None:
    """Preview the site live, drafts included (with a 草稿 banner), rebuilding on changes to
    posts/, docs/ and _ext/.  It builds into _build/preview, never into the published _build/html."""
    _install(session, "serve")
    _install_assets(session)
    session.run(
        "python", "_ext/zhiyuan/tools/preview.py",  # sphinx-autobuild, each rebuild forked from a warm process
        "--watch", "posts",
        "--watch", "_ext",
        # docs/_diagrams/ holds the Mermaid and plot SVGs a build writes: not a change to rebuild for
        "--re-ignore", r"(^|/)\.|~$|__pycache__|(^|/)_diagrams/",
        "--host", "127.0.0.1",
        "--port", "8000",
        "-D", "post_frontmatter_show_drafts=1",
        "-D", "search_index_in_background=1",  # the edited page first, the search index a second later
        *_sphinx_build_args(os.path.join(PREVIEW_DIR, "html"), os.path.join(PREVIEW_DIR, "doctrees")),
        *session.posargs,
    )


@nox.session
def new(session: nox.Session) -> None:
    """Create posts/<year>/<slug>.md with its front matter; never overwrites."""
    _install(session, "new")
    session.run("python", "_ext/zhiyuan/tools/new_post.py", *session.posargs)


@nox.session(name="import")
def import_posts(session: nox.Session) -> None:
    """Import a Jekyll, Hexo or Hugo blog's posts into posts/ (never overwrites; --dry-run writes nothing)."""
    # the site's own readers of Markdown and KaTeX (docs) check what is written; pypinyin (new) makes slugs
    _install(session, "docs")
    _install(session, "new")
    session.run("python", "_ext/zhiyuan/tools/import_posts.py", *session.posargs)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link with Sphinx's linkcheck builder (retries, timeouts in conf.py)."""
    _install(session, "docs")
    _install_assets(session)
    session.run(
        "sphinx-build", "-b", "linkcheck", "-d", os.path.join("_build", "doctrees-linkcheck"), SOURCE_DIR,
        os.path.join("_build", "linkcheck"), *session.posargs,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Time `nox -s build` against bare sphinx-build launched the same way, and the live preview's
    latency, on synthetic corpora (benchmarks/bench.py; a benchmark, never a test)."""
    _install(session, "test")
    _install_assets(session)
    # nox's own interpreter runs the timed `nox -s build`s, in the environments of this repository
    session.run("python", "benchmarks/bench.py", "--nox", sys.executable, "--envdir", str(ROOT / ".nox"),
                *(session.posargs or ["--posts", "300", "--posts", "1000"]))


@nox.session(venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Re-resolve requirements/<group>.txt from the ranges in pyproject.toml."""
    for group in LOCKED_GROUPS:
        session.run(
            "uv", "pip", "compile", "--quiet", "--python-version", "3.11",
            "--group", group, "pyproject.toml",
            "--no-header", "--annotation-style", "line", *_torch_cpu_source(),
            "-o", f"requirements/{group}.txt",
            external=True,
        )
