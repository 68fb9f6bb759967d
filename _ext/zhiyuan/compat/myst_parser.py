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
the ids MyST will give them (:func:`heading_slug`).  ``posts/body.py`` looks for fences never closed with MyST's own markdown-it parser,
configured as MyST configured it (:func:`block_parser`); ``pages/plots.py`` finds the code of a
post's plots with it before the post is read (:func:`directive_bodies`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

PATCH = Patch(
    "myst-parser", ">=5.0,<5.3",
    "unlabelled amsmath blocks get random ids, so two builds differ and links to them break",
)
_UPSTREAM_LABEL = SphinxRenderer._random_label


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
    # a class attribute, so one process's apps share it: set it either way
    SphinxRenderer._random_label = _positional_label if applies(app, PATCH) else _UPSTREAM_LABEL
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
