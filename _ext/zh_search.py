"""Chinese full-text search that works on Sphinx 9.0.

Sphinx 9.0's ``zh`` search language stems Latin words with the English
Snowball stemmer but ends ``language_data.js`` with
``window.Stemmer = ChineseStemmer;``, a class that does not exist, so every
query in the browser fails (sphinx-doc/sphinx#14229; fixed by #14416 in
Sphinx 9.1, which needs Python 3.12).  This registers the same language with
the JavaScript class named after the stemmer it really uses.  Segmentation is
unchanged: jieba, with ``html_search_options["dict"]`` as user dictionary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.search.zh import SearchChinese

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"


class SearchChineseFixed(SearchChinese):
    """``zh`` search whose JavaScript stemmer class exists."""

    # names the JS class: ``window.Stemmer = EnglishStemmer`` (english-stemmer.js)
    language_name = "English"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchChineseFixed)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
