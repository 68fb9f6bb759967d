"""Chinese full-text search that works on Sphinx 9.0, built faster, with a stable index.

Sphinx 9.0's ``zh`` search language stems Latin words with the English
Snowball stemmer but ends ``language_data.js`` with
``window.Stemmer = ChineseStemmer;``, a class that does not exist, so every
query in the browser fails (sphinx-doc/sphinx#14229; fixed by #14416 in
Sphinx 9.1, which needs Python 3.12).  This registers the same language with
the JavaScript class named after the stemmer it really uses.  Segmentation is
unchanged: jieba, with ``html_search_options["dict"]`` as user dictionary.  What
changes is when and where it runs:

* a text is segmented once, its words kept between builds (:mod:`.words`): the
  same code line or term comes back on many pages, and an edit writes again
  pages whose text did not change;
* with ``zh_search_helper`` (the default) and a second core, a helper process
  (:mod:`.segmenter`) segments the new text of each document as it is read, and
  of each page about to be written, so jieba's model is loaded and the words
  found on the other core; a build that neither reads nor writes a document,
  such as a no-op rebuild, starts none;
* otherwise the dictionary (and with it jieba's model) is loaded
  at the first page indexed rather than when the builder prepares to write.

On an incremental build Sphinx loads the previous index and removes the
re-written pages from every term, but keeps a term whose only page no longer
contains it, as an empty list (``"入门": []`` after a title edit).  Harmless for
queries, it makes ``searchindex.js`` differ from a clean build's; such terms
are dropped before the index is written.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.search import languages
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese

from zhiyuan import caches
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.config import declare

from .segmenter import Segmenter, can_fork
from .words import Words

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.1"

_THIS_BUILD = "_zh_search_this_build"


def _user_dict(options: dict[str, str]) -> str:
    """The user dictionary named in ``html_search_options`` (Sphinx's default if none)."""
    return options.get("dict", JIEBA_DEFAULT_DICT)


class SearchChineseFixed(SearchChinese):
    """``zh`` search whose JavaScript stemmer class exists, its words looked up (:class:`.Words`)."""

    # names the JS class: ``window.Stemmer = EnglishStemmer`` (english-stemmer.js)
    language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__({**options, "dict": ""})  # the parent would load it now
        self.options = options
        #: words by text; the build's own (kept between builds, helped) once documents are written
        self.words = Words(_user_dict(options))

    def split(self, input: str) -> list[str]:
        # SearchChinese.split, with jieba's words looked up
        latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin1)  # read by stem(): kept for every text, as the parent does
        return self.words(input) + latin1


def _indexes_with_us(app: Sphinx) -> bool:
    """Whether this build writes a search index in our language."""
    if not getattr(app.builder, "search", False) or app.builder.format != "html":
        return False
    lang = app.config.html_search_language or app.config.language or ""
    return (languages.get(lang) or languages.get(lang.partition("_")[0])) is SearchChineseFixed


def _wants_helper(app: Sphinx) -> bool:
    """Whether a helper may segment this build's text: on, serial, on another core."""
    return app.config.zh_search_helper and app.parallel <= 1 and (os.cpu_count() or 1) > 1 and can_fork()


@dataclasses.dataclass
class _ThisBuild:
    """The search index's share of a build."""

    words: Words
    #: documents read in this build, whose texts the helper was asked for then
    read: set[str] = dataclasses.field(default_factory=set)
    #: documents fed to the index in this build
    indexed: set[str] = dataclasses.field(default_factory=set)

    def ask(self, doctree: nodes.document) -> None:
        """Have the helper, if any, segment the texts Sphinx's indexer splits: every text node's and
        every title's."""
        if self.words.helper is not None:
            self.words.ask([*(node.astext() for node in doctree.findall(nodes.Text)),
                            *(node.astext() for node in doctree.findall(nodes.title))])


def _this_build(app: Sphinx) -> _ThisBuild | None:
    """This build's words, with the helper if wanted, made when first needed: before documents are
    read, or else before the first is written (a build that reads and writes none makes none)."""
    if _THIS_BUILD not in app.__dict__:
        user_dict = _user_dict(app.config.html_search_options)
        app.__dict__[_THIS_BUILD] = (
            _ThisBuild(Words(user_dict, caches.folder(app.doctreedir), Segmenter(user_dict) if _wants_helper(app) else None))
            if _indexes_with_us(app) else None
        )
    return app.__dict__[_THIS_BUILD]


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Start the helper before the first document is read (see :class:`.Segmenter`)."""
    if docnames:
        _this_build(app)


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Ask the helper for the words of the document just read, long before it is indexed."""
    this_build = app.__dict__.get(_THIS_BUILD)
    if this_build is not None:
        this_build.ask(doctree)
        this_build.read.add(app.env.docname)


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before the document is written and indexed: ask for the texts of a document not read in this
    build, while the page is rendered (those of one read were asked for then; a text a post-transform
    made is asked for when it is indexed); hand the build's words to the indexer, which exists by now."""
    this_build = _this_build(app)
    lang = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if this_build is None or not isinstance(lang, SearchChineseFixed):
        return
    if docname not in this_build.read:
        this_build.ask(doctree)
    lang.words = this_build.words
    this_build.indexed.add(docname)


def _drop_emptied_terms(app: Sphinx):
    """``html-collect-pages``, which runs before the index is dumped: forget terms left without pages."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None and sphinx_compat.active(app):
        sphinx_compat.drop_emptied_terms(indexer)
    yield from ()


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Keep the words for the next build; stop the helper."""
    this_build = app.__dict__.pop(_THIS_BUILD, None)
    if this_build is None:
        return
    if this_build.words.helper is not None:
        this_build.words.helper.close()
    if exception is None:
        this_build.words.save(every_page_indexed=this_build.indexed >= set(app.env.found_docs))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.add_search_language(SearchChineseFixed)
    declare(app, "zhiyuan.search")
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("html-collect-pages", _drop_emptied_terms)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
