"""The site's search: an index built with the site, searched in the browser as the reader types.

Sphinx's own search (``searchindex.js`` with ``searchtools.js``) looks a query up as whole
words: with Chinese, the index holds jieba's words and the browser does not segment the query
at all, so ``优势函数`` finds nothing, and a page must hold every term of a query.  This part
replaces it (benchmarks/search_quality.py measured both: PERFORMANCE.md, *Search*):

* while a document is read, :func:`.documents.search_document` keeps its sections' text, code
  and glossary entries on the environment (so an unchanged document is not looked at again);
* once every document has been read (``env-updated``), :func:`.index.build_index` makes the
  index of every published page — Chinese as bigrams (:mod:`.tokens`), scored per page, in
  shards by term — and writes it to ``_search/`` if what it lists changed (a no-op rebuild
  writes nothing).  It does so in a fork of the build (:mod:`zhiyuan.side_process`), on the
  other core while Sphinx writes the pages, and the build waits for it when it is done; with
  ``search_index_in_background`` (the live preview) it does not wait, so the edited page
  reloads a second sooner and the index follows;
* ``static/search.js``, loaded (deferred) by every page but fetching nothing until the reader
  opens search, runs the queries: results as the reader types, under the header's search
  field (Ctrl+K) and on ``search.html`` (which keeps taking ``?q=``).

Sphinx's own index is not built (:func:`~zhiyuan.compat.sphinx.turn_off_search_index`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan import caches, side_process, state
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
_CACHE = "search_index.pickle"  # (fingerprint, each page's key and term weights)
_FINGERPRINT = "search_index.fingerprint"  # the fingerprint alone, read by every build
_LOCK = "search_index.lock"
_OURS = "_zhiyuan_search"  # on the builder: True when this build writes our index and page
_PENDING = "_zhiyuan_search_pending"  # on the builder: this build's index job, or the work left for the end

logger = logging.getLogger(__name__)


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


def _write_file(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (a file named by its content is never written again)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _write(outdir: Path, files: dict[str, bytes]) -> None:
    """Write the index's files that are new, ``index.json`` last, and remove those of an earlier
    index.  A shard or a page's folder of texts is named by its content: one that is there is
    left as it is (a browser may keep it), and one that is not is written whole or not at all."""
    folder = outdir / OUTPUT
    shards, texts = folder / "shard", folder / "text"
    shards.mkdir(parents=True, exist_ok=True)
    texts.mkdir(parents=True, exist_ok=True)
    present = set(os.listdir(texts))
    new_texts: dict[str, dict[str, bytes]] = {}
    for name, data in files.items():
        kind, _, rest = name.partition("/")
        if kind == "shard" and not (folder / name).exists():
            _write_file(folder / name, data)
        elif kind == "text":
            text_folder, _, file_name = rest.partition("/")
            if text_folder not in present:
                new_texts.setdefault(text_folder, {})[file_name] = data
    for text_folder, text_files in new_texts.items():
        partial = texts / f".{text_folder}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for file_name, data in text_files.items():
            (partial / file_name).write_bytes(data)
        os.replace(partial, texts / text_folder)
    _write_file(folder / "index.json", files["index.json"])
    for entry in os.scandir(shards):
        if f"shard/{entry.name}" not in files:
            os.unlink(entry.path)
    kept = {name.split("/")[1] for name in files if name.startswith("text/")}
    for entry in os.scandir(texts):
        if entry.name not in kept:
            shutil.rmtree(entry.path)


@dataclass(frozen=True)
class _Plan:
    """The index this build lists: its pages, the glossary's synonyms, and their digests."""

    outdir: Path
    doctreedir: Path
    pages: list[Page]
    synonyms: list[list[str]]
    keys: dict[str, str]
    fingerprint: str

    def written(self) -> bool:
        """Whether the last index written is this one (and is there)."""
        try:
            last = caches.path(self.doctreedir, _FINGERPRINT).read_text(encoding="ascii")
        except OSError:
            return False
        return last == self.fingerprint and (self.outdir / OUTPUT / "index.json").is_file()


def _plan(app: Sphinx) -> _Plan:
    pages, synonyms = _pages(app)
    keys = {page.docname: _page_key(page) for page in pages}
    fingerprint = hashlib.sha256(json.dumps([sorted(keys.items()), synonyms]).encode()).hexdigest()
    return _Plan(Path(app.outdir), Path(app.doctreedir), pages, synonyms, keys, fingerprint)


def _write_index(plan: _Plan) -> None:
    """Make the index of *plan* (each page's term weights from the cache, where its key is the
    same) and write its files, then the cache for the next build; nothing if it is written."""
    if plan.written():  # (by a writer of an earlier build that was still running when this one began)
        return
    cache_file = caches.path(plan.doctreedir, _CACHE)
    cached = caches.read(cache_file)
    weights = cached[1] if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[1], dict) else {}
    kept = {
        page.docname: weights[page.docname][1] if weights.get(page.docname, (None,))[0] == plan.keys[page.docname]
        else term_weights(page)
        for page in plan.pages
    }
    _write(plan.outdir, build_index(plan.pages, plan.synonyms, kept))
    caches.write(cache_file, (plan.fingerprint, {docname: (plan.keys[docname], kept[docname]) for docname in kept}))
    _write_file(caches.path(plan.doctreedir, _FINGERPRINT), plan.fingerprint.encode("ascii"))


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every document is read, start writing the index beside the build, if it changed."""
    builder = app.builder
    if not getattr(builder, _OURS, False):
        return
    plan = _plan(app)
    lock = caches.path(app.doctreedir, _LOCK)
    if side_process.idle(lock) and plan.written():  # (while a writer runs, it may still change what is written)
        return
    job = side_process.start(functools.partial(_write_index, plan), lock=lock,
                             detached=app.config.search_index_in_background)
    setattr(builder, _PENDING, plan if job is None else job)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the index (unless it is written in the background) and say if it failed; where
    there is no fork, write it now."""
    pending = getattr(app.builder, _PENDING, None)
    if pending is None:
        return
    setattr(app.builder, _PENDING, None)
    if isinstance(pending, _Plan):
        if exception is None:
            _write_index(pending)
        return
    problem = side_process.finish(pending)
    if problem and exception is None:
        logger.warning("the search index could not be written: %s", problem, type="search", subtype="index")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.posts.model")  # the posts' titles, categories and dates
    declare(app, "zhiyuan.search")
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("html-collect-pages", _on_collect_pages)
    # after the other parts' handlers: the environment as Sphinx pickles it and writes the pages from
    app.connect("env-updated", _on_env_updated, priority=900)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
