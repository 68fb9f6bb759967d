"""Figures: numbered captions in every post, alt text required, sized lazy images that zoom.

* **Numbers.**  With ``numfig`` (``docs/conf.py``, ``numfig_format = {"figure": "图 %s", …}``)
  Sphinx numbers the captioned figures, tables and code blocks of the documents its toctree
  reaches, in one sequence across them.  Posts are orphans, so they would get none, and
  ``{numref}`` to their figures would fail.  Each document Sphinx leaves unnumbered is
  numbered on its own here, 图 1, 图 2 … in its order (:func:`_on_env_get_updated`, through
  :func:`zhiyuan.compat.sphinx.number_outside_toctree`).  Sphinx's own numbers are kept from the
  last build when no document its toctree reaches was read again
  (:func:`zhiyuan.compat.sphinx.keep_unchanged_figure_numbers`): it would load and walk the
  doctrees of all of them on every build, a no-op too.
* **Alt text.**  An image or figure without alt text is a warning (``figures.alt``) naming
  file and line: write ``![描述](图.svg)``, or ``:alt:`` for ``{figure}`` and ``{image}``.
* **No layout shift.**  Each local image gets ``width`` and ``height`` attributes from its
  file (:mod:`.sizes`: the header of a PNG, GIF, JPEG or WebP; an SVG's ``width``/``height``
  or ``viewBox``), ``loading="lazy"`` and ``decoding="async"``; our sheet keeps the ratio
  (``height: auto``) when the column is narrower.  A file whose size cannot be read is a
  warning (``figures.size``).
* **Zoom.**  Images that are not links carry the class ``zy-zoom``; ``zhiyuan-figures.js``
  (loaded only by pages that have one: ``page_assets_scripts_for`` in ``docs/conf.py``) shows
  one enlarged over the page on a click, Enter or Space, and closes it on a click, Escape or
  Tab.  It is a file of the site with its classes in ``zhiyuan-figures.css``: no inline
  script or style, nothing from another host.

What is read of a document (its enumerable nodes in order) is recorded while it is read, in
the environment's store (:mod:`zhiyuan.state`), so parallel reads are safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from zhiyuan import state
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.pages.figures.sizes import image_size
from zhiyuan.config import serve_static

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

__version__ = "1.0"

logger = logging.getLogger(__name__)

_STATIC = str(Path(__file__).resolve().parent / "static")
#: the class of images that zoom on a click (zhiyuan-figures.js)
ZOOM_CLASS = "zy-zoom"
# per document: its captioned figures, tables and code blocks in order, as (type, id)
_TABLE = "figures.enumerables"
# the intrinsic size of an image, kept on its node while reading
_WIDTH, _HEIGHT = "zy_width", "zy_height"
# on the builder: the documents this build reads
_READ = "_zhiyuan_figures_read"


# -- Reading -------------------------------------------------------------------


def node_line(node: nodes.Node) -> int | None:
    """The line of *node* or of the nearest ancestor that has one."""
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


def _is_local(uri: str) -> bool:
    return "://" not in uri and not uri.startswith(("data:", "//"))


def _check_image(app: Sphinx, docname: str, image: nodes.image) -> None:
    """Warn about missing alt text; note the image's size and whether it zooms."""
    uri = image.get("candidates", {}).get("*", image["uri"])
    location = (docname, node_line(image))
    if not str(image.get("alt", "")).strip():
        logger.warning(
            "image %r has no alt text: readers who cannot see it get nothing; describe it "
            "(![描述](%s), or :alt: for {figure} and {image})",
            uri, uri, type="figures", subtype="alt", location=location,
        )
    path = Path(app.srcdir, uri)
    if not _is_local(uri) or not path.is_file():
        return  # a missing file is Sphinx's warning (image.not_readable); nothing to size or zoom
    size = image_size(path)
    if size is None:
        logger.warning(
            "cannot read the size of image %r (PNG, GIF, JPEG, WebP or SVG with width and height "
            "or a viewBox): its page may shift while it loads",
            uri, type="figures", subtype="size", location=location,
        )
    else:
        image[_WIDTH], image[_HEIGHT] = size
    if not isinstance(image.parent, nodes.reference):
        image["classes"].append(ZOOM_CLASS)


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Check each image of the document; record its numbered figures, tables and code blocks."""
    docname = app.env.docname
    for image in doctree.findall(nodes.image):
        _check_image(app, docname, image)
    domain = app.env.domains.standard_domain
    enumerables = []
    for node in doctree.findall(nodes.Element):
        figtype = domain.get_enumerable_node_type(node)
        if figtype and node["ids"] and domain.get_numfig_title(node) is not None:
            enumerables.append((figtype, node["ids"][0]))
    table = state.per_document(app.env, _TABLE)
    if enumerables:
        table[docname] = tuple(enumerables)


def _on_builder_inited(app: Sphinx) -> None:
    """Let Sphinx keep its figure numbers when no document of its toctree was read again."""
    setattr(app.builder, _READ, set())
    if sphinx_compat.active(app):
        sphinx_compat.keep_unchanged_figure_numbers(app, lambda: getattr(app.builder, _READ, set()))


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Note the documents this build reads."""
    getattr(app.builder, _READ, set()).update(docnames)


def _on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Number each document's figures, tables and code blocks that Sphinx's numfig left
    unnumbered (documents outside the toctree: the posts), 1, 2, … per type."""
    if not app.config.numfig:
        return []
    numbers: dict[str, dict[str, dict[str, tuple[int, ...]]]] = {}
    for docname, enumerables in sorted(state.per_document(env, _TABLE).items()):
        by_type: dict[str, dict[str, tuple[int, ...]]] = {}
        for figtype, node_id in enumerables:
            found = by_type.setdefault(figtype, {})
            found.setdefault(node_id, (len(found) + 1,))
        numbers[docname] = by_type
    sphinx_compat.number_outside_toctree(env, numbers)
    return []  # a document's numbers change only when it is read again, and then it is written


# -- Writing -------------------------------------------------------------------


def _visit_image(self: HTML5Translator, node: nodes.image) -> None:
    """The translator's own ``<img>``, with the image's size, lazy loading and async decoding."""
    start = len(self.body)
    type(self).visit_image(self, node)
    extra = []
    if _WIDTH in node:
        extra.append(f'width="{node[_WIDTH]}" height="{node[_HEIGHT]}"')
    if "loading" not in node:
        extra.append('loading="lazy"')
    extra.append('decoding="async"')
    for index in range(start, len(self.body)):
        tag = self.body[index]
        if tag.startswith("<img "):
            if " width=" in tag or " height=" in tag:  # sized by the author (:scale:)
                extra = [item for item in extra if not item.startswith("width=")]
            self.body[index] = "<img " + " ".join(extra) + " " + tag[len("<img "):]
            break


def _depart_image(self: HTML5Translator, node: nodes.image) -> None:
    type(self).depart_image(self, node)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.add_node(nodes.image, override=True, html=(_visit_image, _depart_image))
    app.add_css_file("zhiyuan-figures.css")
    app.add_js_file("zhiyuan-figures.js")
    serve_static(app, _STATIC)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-get-updated", _on_env_get_updated)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
