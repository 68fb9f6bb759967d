"""MyST-Parser: stable equation ids for its ``amsmath`` blocks; its slug links; its block parser.

MyST-Parser numbers an unlabelled ``\\begin{align}`` block by giving it a random
label (``uuid4``), which lands in the page as ``id="equation-<uuid>"``: two
builds of the same sources then differ, and a reader's link to the equation
breaks at the next build.  MyST draws that label from one overridable method,
``SphinxRenderer._random_label``; this extension replaces it by a label made of
the document's name and the block's position in it, unique across the project
(the math domain refuses duplicates) and the same in every build.

``web/readable_anchors.py`` points MyST's slug links at the ids it puts first
(:func:`point_slugs_at`); ``nox -s import`` points an imported post's links to its headings at
the ids MyST will give them (:func:`heading_slug`).  ``posts/body.py`` looks for fences never
closed in the block tokens of MyST's own parse of each document (:func:`watch_blocks`: a
markdown-it core rule after the block pass, on the parser MyST makes for the document), so a
post is parsed once; ``pages/plots.py`` finds the code of a post's plots before the post is
read, with MyST's markdown-it parser configured as MyST configured it (:func:`block_parser`,
:func:`directive_bodies`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers import sphinx_ as myst_sphinx_parser

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

PATCH = Patch(
    "myst-parser", ">=5.0,<5.3",
    "unlabelled amsmath blocks get random ids, so two builds differ and links to them break",
)
_UPSTREAM_LABEL = SphinxRenderer._random_label
_UPSTREAM_CREATE_PARSER = myst_sphinx_parser.create_md_parser
# what watch_blocks registered: called with each document MyST parses, its block tokens and source
_block_watchers: list[Callable[[Any, list[Any], str], None]] = []


def _positional_label(renderer: SphinxRenderer) -> str:
    """``<hash of the docname>-<n>`` for the n-th unlabelled block of the document."""
    count = getattr(renderer, "_stable_ids_count", 0) + 1
    renderer._stable_ids_count = count
    docname = renderer.sphinx_env.docname
    return f"{hashlib.sha256(docname.encode('utf-8')).hexdigest()[:12]}-{count}"


def block_parser(app: Sphinx) -> Any:
    """A markdown-it parser configured as MyST parses this project's Markdown, for block
    tokens only (``map`` gives each token's lines), or None outside :data:`PATCH`'s versions."""
    if not applies(app, PATCH) or not hasattr(app.env, "myst_config"):
        return None
    from markdown_it.renderer import RendererHTML
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(app.env.myst_config, RendererHTML)
    # fences are blocks: the inline pass would double the cost of reading a post
    parser.disable("inline")
    return parser


def watch_blocks(watcher: Callable[[Any, list[Any], str], None]) -> None:
    """Have ``watcher(document, tokens, source)`` called for each document MyST parses in
    Sphinx, once, with the block tokens of MyST's own parse (``map`` gives each token's lines)
    and the source as markdown-it read it (line breaks as ``\\n``); within :data:`PATCH`'s
    versions only.  Registering the same watcher twice calls it once."""
    if watcher not in _block_watchers:
        _block_watchers.append(watcher)


def _create_watched_parser(config: Any, renderer: type) -> Any:
    """MyST's ``create_md_parser`` for a document, with a core rule after the block pass that
    shows the block tokens to the watchers (:func:`watch_blocks`)."""
    parser = _UPSTREAM_CREATE_PARSER(config, renderer)
    if not _block_watchers:
        return parser
    parsed = []

    def show_blocks(state: Any) -> None:
        if parsed:  # a directive's content, parsed again with the document's parser
            return
        parsed.append(True)
        document = state.md.options.get("document")
        if document is not None:
            for watcher in _block_watchers:
                watcher(document, state.tokens, state.src)

    parser.core.ruler.after("block", "zhiyuan_watch_blocks", show_blocks)
    return parser


def directive_bodies(parser: Any, text: str, name: str, directive: type) -> list[str]:
    """The bodies of the fenced blocks of the directive *name* (class *directive*:
    ```` ```{name} ````) in the Markdown *text*, as the directive's ``content`` will hold them,
    with MyST's own option parsing; a block whose options do not parse is left out.

    *parser* is :func:`block_parser`'s.
    """
    from myst_parser.parsers.directives import MarkupError, parse_directive_text

    opening = "{" + name + "}"
    bodies = []
    for token in parser.parse(text):
        if token.type not in ("fence", "colon_fence"):
            continue
        info = token.info.strip()
        if info != opening and not info.startswith(opening + " "):
            continue
        try:
            result = parse_directive_text(directive, info[len(opening):].strip(), token.content)
        except MarkupError:
            continue
        bodies.append("\n".join(result.body))
    return bodies


def point_slugs_at(document: Any, renamed: dict[str, str]) -> None:
    """Have MyST's links to heading slugs (``[text](#slug)``, ``[text](page.md#slug)``) point at a
    section's new first id: MyST records, for each slug, the section's first id at parse time
    (``document.myst_slugs``: slug → (line, id, text), the same dict as the environment's
    ``metadata[docname]["myst_slugs"]``), and links resolve to that id."""
    slugs = getattr(document, "myst_slugs", None)
    if not isinstance(slugs, dict):
        return
    for slug, entry in slugs.items():
        if isinstance(entry, tuple) and len(entry) == 3 and entry[1] in renamed:
            slugs[slug] = (entry[0], renamed[entry[1]], entry[2])


def heading_slug(title: str, taken: Container[str], preset: Any = None) -> str:
    """The id MyST gives a heading whose text is *title* (``myst_heading_anchors``): the slug of
    ``myst_heading_slug_func`` (*preset*, a preset's name; GitHub's by default), made unique
    against *taken* as MyST makes it (``-1``, ``-2``, …).  ``""`` for a title with no slug."""
    from myst_parser.slugs import SLUG_PRESETS, github_slugify, unique_slug

    function = SLUG_PRESETS.get(preset, github_slugify) if isinstance(preset, str) else github_slugify
    slug = function(title)
    return unique_slug(slug, taken) if slug else ""


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    # a class attribute and a module's function, so one process's apps share them: set them either way
    patched = applies(app, PATCH)
    SphinxRenderer._random_label = _positional_label if patched else _UPSTREAM_LABEL
    myst_sphinx_parser.create_md_parser = _create_watched_parser if patched else _UPSTREAM_CREATE_PARSER
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
