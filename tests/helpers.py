"""Small helpers shared by the tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp

from zhiyuan.theme.page_assets.js import part_names


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def hrefs(page: BeautifulSoup, selector: str = "a[href]") -> list[str]:
    return [a["href"] for a in page.select(selector)]


def resolve(page_path: Path, href: str) -> Path:
    """The file an internal link on *page_path* points at (fragment dropped)."""
    target = href.split("#", 1)[0]
    return (page_path.parent / target).resolve() if target else page_path.resolve()


REPO = Path(__file__).resolve().parent.parent


def page_scripts(outdir: Path, page: Path) -> list[tuple[str, Tag]]:
    """The scripts the built *page* (a file under *outdir*) loads from the site, in order: each
    script's path under *outdir* (no query) with its tag; a joined script
    (:mod:`zhiyuan.theme.page_assets`) stands for its parts, each with the joined file's tag."""
    scripts = []
    for tag in soup(page).select("script[src]"):
        src = tag["src"].split("?")[0]
        if src.startswith("/"):  # the 404 page's links, from the site's address (notfound_urls_prefix)
            path = src[src.index("/_static/") + 1 :]
        else:
            path = (page.parent / src).resolve().relative_to(outdir.resolve()).as_posix()
        names = part_names((outdir / path).read_text(encoding="utf-8"))
        scripts += [(f"_static/{name}", tag) for name in names] if names is not None else [(path, tag)]
    return scripts


def math_and_code_post(site: Path) -> str:
    """The built post with the most formulas among those with code blocks (relative path)."""
    best, most = None, 0
    for path in sorted((site / "posts").rglob("*.html")):
        page = soup(path)
        formulas = len(page.select("article .katex"))
        if page.select_one("article div.highlight") and formulas > most:
            best, most = path, formulas
    assert best is not None, "no post has both math and code"
    return best.relative_to(site).as_posix()


def search_index(outdir: Path) -> dict:
    """The site's search index (``_search/``): its ``index.json``, with ``terms`` (every term's
    postings, from all shards) and ``texts`` (each listed page's sections, by URL) added."""
    folder = outdir / "_search"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    index["terms"] = {}
    for name in index["shards"]:
        index["terms"].update(json.loads((folder / name).read_text(encoding="utf-8")))
    index["texts"] = {
        url: [json.loads(path.read_text(encoding="utf-8"))
              for path in sorted((folder / text).glob("*.json"), key=lambda p: int(p.stem))]
        for url, *_, text in index["pages"]
    }
    return index


def build(src: Path, buildername: str = "html", **kwargs) -> SphinxTestApp:
    """Build the Sphinx project in *src*; return the finished app.

    docutils' global registries are restored at once, so the next app starts
    clean; the outputs, the environment and the logs stay readable.
    """
    app = SphinxTestApp(buildername, srcdir=src, **kwargs)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def note_pids(monkeypatch, module, name: str, log: Path) -> None:
    """Have each call of *module*'s function *name* note the id of the process that makes it
    in *log* (one line a call): which process did work meant to run beside the build."""
    real = getattr(module, name)

    def noted(*args, **kwargs):
        with log.open("a", encoding="ascii") as stream:
            stream.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, noted)
