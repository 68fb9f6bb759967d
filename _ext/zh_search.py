"""Chinese full-text search that works on Sphinx 9.0, and a stable search index.

Sphinx 9.0's ``zh`` search language stems Latin words with the English
Snowball stemmer but ends ``language_data.js`` with
``window.Stemmer = ChineseStemmer;``, a class that does not exist, so every
query in the browser fails (sphinx-doc/sphinx#14229; fixed by #14416 in
Sphinx 9.1, which needs Python 3.12).  This registers the same language with
the JavaScript class named after the stemmer it really uses.  Segmentation is
unchanged: jieba, with ``html_search_options["dict"]`` as user dictionary, but
the dictionary (and with it jieba's model, about a second) is loaded at the
first page indexed rather than when the builder prepares to write: a build that
writes no page, such as a no-op rebuild, does not need it.

On an incremental build Sphinx loads the previous index and removes the
re-written pages from every term, but keeps a term whose only page no longer
contains it, as an empty list (``"入门": []`` after a title edit).  Harmless for
queries, it makes ``searchindex.js`` differ from a clean build's; such terms
are dropped before the index is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import jieba
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"


class SearchChineseFixed(SearchChinese):
    """``zh`` search whose JavaScript stemmer class exists."""

    # names the JS class: ``window.Stemmer = EnglishStemmer`` (english-stemmer.js)
    language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        self._user_dict = options.get("dict", JIEBA_DEFAULT_DICT)
        super().__init__({**options, "dict": ""})  # the parent would load it now
        self.options = options

    def split(self, input: str) -> list[str]:
        if self._user_dict:
            if Path(self._user_dict).is_file():
                jieba.load_userdict(self._user_dict)
            self._user_dict = ""
        return super().split(input)


def _drop_emptied_terms(app: Sphinx):
    """``html-collect-pages``, which runs before the index is dumped: forget terms left without pages."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return
    for mapping in (indexer._mapping, indexer._title_mapping):
        for term in [term for term, docnames in mapping.items() if not docnames]:
            del mapping[term]
    yield from ()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchChineseFixed)
    app.connect("html-collect-pages", _drop_emptied_terms)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
