"""The site's search: an index built with the site, searched in the browser as the reader types.

Sphinx's own search (``searchindex.js`` with ``searchtools.js``) looks a query up as whole
words: with Chinese, the index holds jieba's words and the browser does not segment the query
at all, so ``优势函数`` finds nothing, and a page must hold every term of a query.  This part
replaces it (benchmarks/search_quality.py measured both: PERFORMANCE.md, *Search*):

* while a document is read, :func:`.documents.search_document` keeps its sections' text, code
  and glossary entries on the environment (so an unchanged document is not looked at again);
* when the build has written the pages, :func:`.index.build_index` makes the index of every
  published page — Chinese as bigrams (:mod:`.tokens`), scored per page, in shards by term —
  and writes it to ``_search/`` if it changed (a no-op rebuild writes nothing).  With
  ``search_index_in_background`` (the live preview) this happens in a fork of the build once
  the build is done, one such writer at a time, so the edited page reloads a second sooner;
* ``static/search.js``, loaded (deferred) by every page but fetching nothing until the reader
  opens search, runs the queries: results as the reader types, under the header's search
  field (Ctrl+K) and on ``search.html`` (which keeps taking ``?q=``).

Sphinx's own index is not built (:func:`~zhiyuan.compat.sphinx.turn_off_search_index`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhiyuan import caches, state
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.config import declare
from zhiyuan.posts.model import post_records, published_posts

from .documents import SearchDocument, search_document
from .index import (
    ARTICLE,
    GLOSSARY,
    PAGE,
    Page,
    build_index,
    synonym_groups,
    term_weights,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "2.0"

_STATIC = Path(__file__).resolve().parent / "static"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: the folder of the index in the output
OUTPUT = "_search"
_TABLE = "search"
_CACHE = "search_index.pickle"
_OURS = "_zhiyuan_search"  # on the builder: True when this build writes our index and page


def documents(env: BuildEnvironment) -> dict[str, SearchDocument]:
    """What the index takes from each document read, by docname."""
    return state.per_document(env, _TABLE)


def _on_config_inited(app: Sphinx, config: Any) -> None:
    """Serve the search script and style; offer our search page."""
    # new lists: the default value objects are shared by every Sphinx app in a process
    config.html_static_path = [*config.html_static_path, str(_STATIC)]
    config.templates_path = [*config.templates_path, str(_TEMPLATES)]


def _on_builder_inited(app: Sphinx) -> None:
    """In an HTML build, take Sphinx's search index and page over."""
    ours = app.builder.format == "html" and sphinx_compat.active(app) and sphinx_compat.turn_off_search_index(app.builder)
    setattr(app.builder, _OURS, ours)
    if ours:
        app.add_js_file("zhiyuan-search.js", loading_method="defer")
        app.add_css_file("zhiyuan-search.css")


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Keep what the index takes from the document just read (purged with it when it changes)."""
    documents(app.env)[app.env.docname] = search_document(doctree)


def _on_collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The search page, which Sphinx no longer writes."""
    if getattr(app.builder, _OURS, False):
        yield "search", {"title": "搜索"}, "search.html"


def _pages(app: Sphinx) -> tuple[list[Page], list[list[str]]]:
    """Every page the index lists, articles first, and the glossary's synonym groups."""
    env = app.env
    texts = documents(env)
    labels = env.domains.standard_domain.labels
    posts = {post.docname: post for post in published_posts(env)}
    unpublished = post_records(env).keys() - posts.keys()
    pointed_at: dict[str, list[str]] = {}
    entries = []
    for docname in sorted(texts):
        for entry in texts[docname].glossary:
            entries.append(entry.terms)
            for target in entry.targets:
                if target in labels:
                    pointed_at.setdefault(labels[target][0], []).extend(entry.terms)

    def page(docname: str, kind: int) -> Page:
        post = posts.get(docname)
        return Page(
            docname=docname,
            url=app.builder.get_target_uri(docname),
            title=post.title if post else env.titles[docname].astext(),
            kind=kind,
            document=texts[docname],
            category=post.categories[0] if post and post.categories else "",
            date=post.date.isoformat() if post else "",
            tags=post.tags if post else (),
            glossary_terms=tuple(pointed_at.get(docname, ())),
        )

    listed = [page(post.docname, ARTICLE) for post in posts.values() if post.docname in texts]
    for docname in sorted(texts.keys() - posts.keys() - unpublished):
        if docname in env.titles:
            listed.append(page(docname, GLOSSARY if texts[docname].glossary else PAGE))
    return listed, synonym_groups(entries)


def _page_key(page: Page) -> str:
    return hashlib.sha256(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def _write(outdir: Path, files: dict[str, bytes]) -> None:
    """Write the index's files, ``index.json`` last, and remove those of an earlier index."""
    folder = outdir / OUTPUT
    for name, data in files.items():
        if name != "index.json":
            path = folder / name
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    (folder / "index.json").write_bytes(files["index.json"])
    for path in (folder / "shard").glob("*.json"):
        if f"shard/{path.name}" not in files:
            path.unlink()
    kept = {name.rsplit("/", 1)[0] for name in files if name.startswith("text/")}
    for path in (folder / "text").glob("*"):
        if f"text/{path.name}" not in kept:
            shutil.rmtree(path)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write the index, when a page it lists or the glossary changed (or it is missing);
    in a fork of the build when the index is written in the background."""
    if exception is not None or not getattr(app.builder, _OURS, False):
        return
    if not (app.config.search_index_in_background and hasattr(os, "fork")):
        _write_index(app)
        return
    if os.fork() != 0:
        return  # the build: done
    # Keep none of the build's descriptors but the standard ones: whoever waits for the end of
    # the build by a pipe it holds (sphinx-autobuild's process pool, our preview) would wait for this too.
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
    status = 1
    try:
        lock = caches.path(app.doctreedir, "search_index.lock").open("w")
        fcntl.flock(lock, fcntl.LOCK_EX)  # after the writer of an earlier build, if it still runs
        _write_index(app)
        status = 0
    finally:
        os._exit(status)  # never the build's exit handlers: they are the build's, which has ended


def _write_index(app: Sphinx) -> None:
    pages, synonyms = _pages(app)
    keys = {page.docname: _page_key(page) for page in pages}
    fingerprint = hashlib.sha256(json.dumps([sorted(keys.items()), synonyms]).encode()).hexdigest()
    cache_file = caches.path(app.doctreedir, _CACHE)
    cached = caches.read(cache_file)
    last_fingerprint, weights = cached if isinstance(cached, tuple) and len(cached) == 2 else (None, {})
    outdir = Path(app.outdir)
    if fingerprint == last_fingerprint and (outdir / OUTPUT / "index.json").is_file():
        return
    kept = {
        page.docname: weights[page.docname][1] if weights.get(page.docname, (None,))[0] == keys[page.docname]
        else term_weights(page)
        for page in pages
    }
    _write(outdir, build_index(pages, synonyms, kept))
    caches.write(cache_file, (fingerprint, {docname: (keys[docname], kept[docname]) for docname in kept}))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.posts.model")  # the posts' titles, categories and dates
    declare(app, "zhiyuan.search")
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("html-collect-pages", _on_collect_pages)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
