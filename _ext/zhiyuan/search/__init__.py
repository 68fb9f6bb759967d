"""The site's search: an index built with the site, searched in the browser as the reader types.

Sphinx's own search (``searchindex.js`` with ``searchtools.js``) looks a query up as whole
words: with Chinese, the index holds jieba's words and the browser does not segment the query
at all, so ``优势函数`` finds nothing, and a page must hold every term of a query.  This part
replaces it (benchmarks/search_quality.py measured both: PERFORMANCE.md, *Search*):

* while a document is read, :func:`.documents.search_document` takes its sections' text, code
  and glossary entries; they are kept with the document's doctree (which Sphinx pickles with
  it), and the environment keeps only their digest and the glossary entries, so an unchanged
  document is not looked at again and the environment stays small;
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

import dataclasses
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
from zhiyuan.config import declare, serve_static
from zhiyuan.posts.model import post_records, published_posts

from .documents import GlossaryEntry, SearchDocument, search_document
from .index import (
    ARTICLE,
    GLOSSARY,
    PAGE,
    Last,
    Listed,
    Page,
    Scored,
    index_files,
    listed,
    page_texts,
    synonym_groups,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "2.0"

_STATIC = Path(__file__).resolve().parent / "static"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: the folder of the index in the output
OUTPUT = "_search"
_TABLE = "search"
_DOCTREE_KEY = "zhiyuan_search"  # on a document's doctree: what the index takes of it (SearchDocument)
_PAGES = "search_pages"  # in our caches folder: <page key>.pickle, a page's texts folder and term weights
_FINGERPRINT = "search_index.fingerprint"  # of the last index written
_SCORED = "search_index.scored.pickle"  # the last index written: its pages' keys and its Scored
_LOCK = "search_index.lock"
_OURS = "_zhiyuan_search"  # on the builder: True when this build writes our index and page
_READ = "_zhiyuan_search_read"  # on the builder: the documents read by this build, by docname
_PENDING = "_zhiyuan_search_pending"  # on the builder: this build's index job, or the work left for the end

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Indexed:
    """What the environment keeps of a document for the index: the digest of its
    :class:`SearchDocument` (kept on its doctree) and its glossary entries."""

    digest: str
    glossary: tuple[GlossaryEntry, ...] = ()


def documents(env: BuildEnvironment) -> dict[str, Indexed]:
    """What the environment keeps for the index of each document read, by docname."""
    return state.per_document(env, _TABLE)


def _on_config_inited(app: Sphinx, config: Any) -> None:
    """Offer our search page."""
    # a new list: the default value object is shared by every Sphinx app in a process
    config.templates_path = [*config.templates_path, str(_TEMPLATES)]


def _on_builder_inited(app: Sphinx) -> None:
    """In an HTML build, take Sphinx's search index and page over."""
    ours = app.builder.format == "html" and sphinx_compat.active(app) and sphinx_compat.turn_off_search_index(app.builder)
    setattr(app.builder, _OURS, ours)
    setattr(app.builder, _READ, {})
    if ours:
        app.add_js_file("zhiyuan-search.js", loading_method="defer")
        app.add_css_file("zhiyuan-search.css")


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Keep what the index takes from the document just read: on its doctree, and for this
    build in memory; its digest and glossary entries on the environment (purged with it)."""
    document = search_document(doctree)
    doctree[_DOCTREE_KEY] = document
    getattr(app.builder, _READ, {})[app.env.docname] = document
    digest = hashlib.sha256(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    documents(app.env)[app.env.docname] = Indexed(digest, document.glossary)


def _document(app: Sphinx, docname: str) -> SearchDocument:
    """What the index takes of *docname*: as read by this build, else from its doctree."""
    read = getattr(app.builder, _READ, {})
    if docname in read:
        return read[docname]
    doctree = app.env.get_doctree(docname)
    return doctree.get(_DOCTREE_KEY) or search_document(doctree)


def _on_collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The search page, which Sphinx no longer writes."""
    if getattr(app.builder, _OURS, False):
        yield "search", {"title": "搜索"}, "search.html"


@dataclass(frozen=True)
class _Planned:
    """A page the index lists, without its document: what the index shows of it, the digest of
    its document, and the key of both (a change of either changes the key)."""

    page: Page  # with an empty document: the document is loaded only when the key is new
    digest: str
    key: str


_NO_DOCUMENT = SearchDocument(())


def _pages(app: Sphinx) -> tuple[list[_Planned], list[list[str]]]:
    """Every page the index lists, articles first, and the glossary's synonym groups."""
    env = app.env
    indexed = documents(env)
    labels = env.domains.standard_domain.labels
    posts = {post.docname: post for post in published_posts(env)}
    unpublished = post_records(env).keys() - posts.keys()
    pointed_at: dict[str, list[str]] = {}
    entries = []
    for docname in sorted(indexed):
        for entry in indexed[docname].glossary:
            entries.append(entry.terms)
            for target in entry.targets:
                if target in labels:
                    pointed_at.setdefault(labels[target][0], []).extend(entry.terms)

    def page(docname: str, kind: int) -> _Planned:
        post = posts.get(docname)
        shown = Page(
            docname=docname,
            url=app.builder.get_target_uri(docname),
            title=post.title if post else env.titles[docname].astext(),
            kind=kind,
            document=_NO_DOCUMENT,
            category=post.categories[0] if post and post.categories else "",
            date=post.date.isoformat() if post else "",
            tags=post.tags if post else (),
            glossary_terms=tuple(pointed_at.get(docname, ())),
        )
        digest = indexed[docname].digest
        key = hashlib.sha256(pickle.dumps((shown, digest), protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
        return _Planned(shown, digest, key)

    listed_pages = [page(post.docname, ARTICLE) for post in posts.values() if post.docname in indexed]
    for docname in sorted(indexed.keys() - posts.keys() - unpublished):
        if docname in env.titles:
            listed_pages.append(page(docname, GLOSSARY if indexed[docname].glossary else PAGE))
    return listed_pages, synonym_groups(entries)


def _write_file(path: Path, data: bytes) -> None:
    """Write *path* whole or not at all (a file named by its content is never written again)."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _write(outdir: Path, files: dict[str, bytes], new_texts: dict[str, bytes], texts: set[str]) -> None:
    """Write the index's new files, ``index.json`` last, and remove those of an earlier index.

    *files* are ``index.json`` and the shards, *new_texts* the files of the folders of texts
    not yet written, *texts* every folder of texts the index lists.  A shard or a folder of texts
    is named by its content: one that is there is left as it is (a browser may keep it), and one
    that is not is written whole or not at all.
    """
    folder = outdir / OUTPUT
    shards, text = folder / "shard", folder / "text"
    shards.mkdir(parents=True, exist_ok=True)
    text.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if name.startswith("shard/") and not (folder / name).exists():
            _write_file(folder / name, data)
    by_folder: dict[str, dict[str, bytes]] = {}
    for name, data in new_texts.items():
        _, text_folder, file_name = name.split("/")
        by_folder.setdefault(text_folder, {})[file_name] = data
    for text_folder, text_files in by_folder.items():
        partial = text / f".{text_folder}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for file_name, data in text_files.items():
            (partial / file_name).write_bytes(data)
        os.replace(partial, text / text_folder)
    _write_file(folder / "index.json", files["index.json"])
    for entry in os.scandir(shards):
        if f"shard/{entry.name}" not in files:
            os.unlink(entry.path)
    kept = {name.split("/")[1] for name in texts}
    for entry in os.scandir(text):
        if entry.name not in kept:
            shutil.rmtree(entry.path)


@dataclass(frozen=True)
class _Plan:
    """The index this build lists: its pages, the glossary's synonyms, a digest of both, and
    where each page's document comes from when its key is new."""

    outdir: Path
    doctreedir: Path
    pages: list[_Planned]
    synonyms: list[list[str]]
    fingerprint: str
    document: Callable[[str], SearchDocument]

    def written(self) -> bool:
        """Whether the last index written is this one (and is there)."""
        try:
            last = caches.path(self.doctreedir, _FINGERPRINT).read_text(encoding="ascii")
        except OSError:
            return False
        return last == self.fingerprint and (self.outdir / OUTPUT / "index.json").is_file()


def _plan(app: Sphinx) -> _Plan:
    pages, synonyms = _pages(app)
    fingerprint = hashlib.sha256(json.dumps([[page.key for page in pages], synonyms]).encode()).hexdigest()
    return _Plan(Path(app.outdir), Path(app.doctreedir), pages, synonyms, fingerprint,
                 functools.partial(_document, app))


def _last(plan: _Plan, cache: Path, listed_now: dict[str, Listed]) -> Last | None:
    """The last index written, if its pages' weights and its shards are still there."""
    kept = caches.read(caches.path(plan.doctreedir, _SCORED))
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], Scored)):
        return None
    keys, scored = kept
    pages = [listed_now.get(key) or caches.read(cache / f"{key}.pickle") for key in keys]
    if not all(isinstance(page, Listed) for page in pages):
        return None
    try:  # (named by their content: the files the last index wrote, if they are there)
        shards = {name: (plan.outdir / OUTPUT / name).read_bytes() for name in scored.shards}
    except OSError:
        return None
    return Last(pages, scored, shards)


def _write_index(plan: _Plan) -> None:
    """Make the index of *plan* and write its files; nothing if it is written already.

    Each page's line and term weights are kept in our caches folder under the page's key, so
    only a page whose key is new (its document, title, date … changed) has its document
    loaded and its terms counted, and only its folder of texts is written; the last index's
    pages' keys and scores are kept there too, so the shards are made from the last ones
    (:func:`.index.index_files`).
    """
    if plan.written():  # (by a writer of an earlier build that was still running when this one began)
        return
    text = plan.outdir / OUTPUT / "text"
    texts_there = set(os.listdir(text)) if text.is_dir() else set()
    cache = caches.path(plan.doctreedir, _PAGES)
    cache.mkdir(parents=True, exist_ok=True)
    cached = set(os.listdir(cache))
    entries: list[Listed] = []
    new_texts: dict[str, bytes] = {}
    for planned in plan.pages:
        name = f"{planned.key}.pickle"
        known = caches.read(cache / name) if name in cached else None
        if not isinstance(known, Listed):
            page = dataclasses.replace(planned.page, document=plan.document(planned.page.docname))
            folder, files = page_texts(page)
            known = listed(page, folder)
            caches.write(cache / name, known)
            if folder.split("/")[1] not in texts_there:
                new_texts.update(files)
        elif known.texts.split("/")[1] not in texts_there:  # (the output lost it)
            page = dataclasses.replace(planned.page, document=plan.document(planned.page.docname))
            new_texts.update(page_texts(page)[1])
        entries.append(known)
    last = _last(plan, cache, {planned.key: entry for planned, entry in zip(plan.pages, entries)})
    files, scored = index_files(entries, plan.synonyms, last)
    _write(plan.outdir, files, new_texts, {entry.texts for entry in entries})
    caches.write(caches.path(plan.doctreedir, _SCORED), ([planned.key for planned in plan.pages], scored))
    keys = {f"{planned.key}.pickle" for planned in plan.pages}
    for name in cached - keys:  # pages no longer listed as they were
        (cache / name).unlink(missing_ok=True)
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
    serve_static(app, _STATIC)
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("html-collect-pages", _on_collect_pages)
    # after the other parts' handlers: the environment as Sphinx pickles it and writes the pages from
    app.connect("env-updated", _on_env_updated, priority=900)
    # last: the other parts finish their work while the index's fork is still at it
    app.connect("build-finished", _on_build_finished, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
