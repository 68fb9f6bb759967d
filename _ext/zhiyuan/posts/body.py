"""What a post's body may do, decided while the post is read.

* Raw HTML in a post (an HTML block or tag in the Markdown, a ``{raw} html``
  directive) is shown as text instead of being passed to the page:
  ``<script>`` in an article is something the reader sees, never something the
  browser runs.  A tag inside a paragraph becomes inline code, an HTML block
  becomes an HTML code block; HTML comments (``<!-- … -->``) stay invisible,
  as their author meant.  There is no warning: an article about HTML is
  legitimate.  Other pages (the home page, ``about``) keep their raw HTML.
* A code fence (```` ``` ````, ``~~~`` or ``:::``) that is never closed runs,
  as CommonMark says, to the end of the file (or of the list item or quote it
  is in), silently turning the rest of the article into code; that is a
  warning naming the line where the fence opens.  The fences are those of
  MyST's own parse of the post, seen as it parses it
  (:func:`zhiyuan.compat.myst_parser.watch_blocks`): the post is not parsed
  a second time.
* A post without a title (no heading, an empty one, or nothing after the
  front matter) is a warning naming the file: ablog needs the title to list a
  post, so it would be missing from every listing and feed.

Posts are the documents ablog matched with ``blog_post_pattern``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from zhiyuan.compat import myst_parser

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)

_COMMENTS = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.S)
_FENCE_TOKENS = ("fence", "colon_fence")
_QUOTE_PREFIX = re.compile(r"^[ \t>]*")
# markdown-it's line breaks (it reads \r\n and \r as \n)
_LINE_BREAKS = re.compile(r"\r\n?")


def _is_post(config: Config, docname: str) -> bool:
    return docname in getattr(config, "matched_blog_posts", ())


# -- raw HTML ----------------------------------------------------------------


def literal_replacement(node: nodes.raw) -> nodes.Node:
    """What a post shows instead of the raw HTML *node*: its markup as text."""
    text = node.astext()
    if _COMMENTS.fullmatch(text):
        replacement: nodes.Element = nodes.comment(text, text)
    elif isinstance(node.parent, nodes.TextElement):
        replacement = nodes.literal(text, text, classes=["raw-html"])
    else:
        code = text.rstrip("\n")
        replacement = nodes.literal_block(code, code, language="html", classes=["raw-html"])
    replacement.source, replacement.line = node.source, node.line
    return replacement


class ShowRawHtmlAsText(SphinxTransform):
    """Replace a post's raw HTML nodes by their text (see the module docstring)."""

    # after every transform that could produce raw nodes from the source,
    # before Sphinx's doctree-read event (880), where titles and excerpts are taken
    default_priority = 850

    def apply(self, **kwargs: Any) -> None:
        if not _is_post(self.config, self.env.docname):
            return
        for node in list(self.document.findall(nodes.raw)):
            if "html" in node.get("format", "").split():
                node.replace_self(literal_replacement(node))


# -- unclosed code fences ----------------------------------------------------


def fences_never_closed(tokens: list[Any], lines: list[str]) -> list[tuple[int, str]]:
    """``(line, markup)`` of every fence among the block *tokens* of Markdown whose *lines* they
    are that is never closed.

    A closed fence's block ends with a closing fence line; an unclosed one ends where its
    container (the file, a list item, a quote) ends, on a line of content.
    """
    found = []
    for token in tokens:
        if token.type not in _FENCE_TOKENS or not token.map:
            continue
        start, end = token.map
        markup = token.markup
        last = _QUOTE_PREFIX.sub("", lines[end - 1]).rstrip() if end - 1 < len(lines) else ""
        closing = re.fullmatch(re.escape(markup[0]) + "{%d,}" % len(markup), last)
        if end - 1 == start or not closing:
            found.append((start + 1, markup))
    return found


def unclosed_fences(text: str, parser: Any) -> list[tuple[int, str]]:
    """``(line, markup)`` of every fence in Markdown *text* that is never closed.

    *parser* is a markdown-it parser configured like the site's MyST; a build looks at the
    tokens of MyST's own parse instead (:func:`_check_fences`).
    """
    return fences_never_closed(parser.parse(text), _LINE_BREAKS.sub("\n", text).split("\n"))


def _check_fences(document: nodes.document, tokens: list[Any], source: str) -> None:
    """Warn about the fences of a Markdown post that are never closed, as MyST parses it."""
    env = getattr(document.settings, "env", None)
    if env is None or not _is_post(env.config, env.docname):
        return
    if not str(env.doc2path(env.docname)).endswith(".md"):
        return
    for line, markup in fences_never_closed(tokens, source.split("\n")):
        logger.warning(
            "code fence %r opened on this line is never closed, so the rest of the file "
            "(or of the list item or quote it is in) becomes code; end it with a line of %r",
            markup,
            markup,
            type="post_body",
            subtype="unclosed_fence",
            location=(env.docname, line),
        )


# -- posts without a title ---------------------------------------------------


def post_title(doctree: nodes.document) -> str:
    """The text of the post's title (its first section's), or ``""`` if it has none."""
    section = doctree.next_node(nodes.section)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return ""
    return section[0].astext().strip()


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Warn about a post without a title."""
    docname = app.env.docname
    if _is_post(app.config, docname) and not post_title(doctree):
        # ablog marks the posts it lists orphans; do it for this one too, so
        # the warning below is the only one, not "isn't included in any toctree"
        app.env.metadata[docname]["orphan"] = True
        logger.warning(
            "post has no title: begin it with a heading such as '# 标题' after the front matter; "
            "without one it is left out of the blog listings, archives and feeds",
            type="post_body",
            subtype="no_title",
            location=docname,
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.compat.myst_parser")
    myst_parser.watch_blocks(_check_fences)
    app.add_transform(ShowRawHtmlAsText)
    app.connect("doctree-read", _on_doctree_read)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
