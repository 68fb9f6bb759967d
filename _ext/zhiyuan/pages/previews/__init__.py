"""Hover previews: a link shows what it points at while the pointer rests on it or the keyboard
focuses it — a glossary term its definition, a reference to a post or section its title and
opening, a footnote reference the note, an equation reference the equation, a figure reference
the figure.

* **Which links.**  A post-transform gives the class ``zy-preview`` to every footnote and
  citation reference and to every internal reference of a document that points at a page of
  the site (``{term}``, ``{ref}``, ``{doc}``, ``{numref}``, ``{eq}``, Markdown links), but not
  to links around images or sphinx-design's card links.  ``docs/conf.py`` loads the script only
  on pages with such a link (``page_assets_scripts_for``).
* **What they show** is made at build time from each page's own HTML, when the page is written
  (:func:`page_previews`): for every element a link can point at — a section (its title and
  opening paragraph), a glossary entry (its names and definition), a footnote or citation, a
  numbered equation (KaTeX's HTML, rendered at build time), a figure (image and caption), a
  paragraph with an id — a fragment of that HTML, with its links turned into text, its ids and
  permalinks dropped, and anything that could run (scripts, event handlers) left out.  The
  page's fragments are one file, ``_previews/<page>.json`` (``{"ids": {id: n}, "previews":
  [html, …]}``; the id ``""`` is the page itself), written only when it changed.  A page's
  file depends on that page alone, so an incremental build writes exactly the files of the
  pages it writes, a clean build the same bytes, and the files of removed documents go.
* **Made beside the build.**  In a serial write a page's body waits in a list; once
  :data:`_BATCH` pages wait and no batch is at work, a fork of the build
  (:mod:`zhiyuan.side_process`, *nice*: it yields to the build) makes their files while Sphinx
  writes on; when the documents' pages are written (``html-collect-pages``) the rest go the
  same way, or are made in the build if fewer than a batch (an edit of one post forks
  nothing).  The build waits for the forks at ``build-finished``; a batch that fails, in a
  fork or in the build, is the warning ``previews.write``, naming the page.  Where there is no
  ``fork`` a batch is made in the build; the writing processes of ``-j`` make their pages'
  previews themselves.
* **In the browser**, ``zhiyuan-previews.js`` (deferred) fetches a page's file the first time
  a link to that page is hovered or focused, from the site itself, and shows the fragment in
  one ``role="tooltip"`` element that the link names with ``aria-describedby``: after a short
  rest of a mouse or pen, at once on keyboard focus (``:focus-visible``), hidden again when the
  pointer leaves link and preview, when the focus leaves, when the link is scrolled out of the
  window, and on Escape.  A touch (a tap on a phone) never opens a preview: the tap follows the
  link, as it would without this script.  Styles are classes of ``zhiyuan-previews.css`` (the
  theme's colours, light and dark): no inline script, nothing from another host.

sphinx-tippy (0.4.3) does the same job and was read first; it does not fit this site (its data
file names are random per build, its data is gathered in the writing processes and lost with
``-j``, its data files are loaded with every page, and its glossary tips drop the definition of
every term with synonyms): see ARCHITECTURE.md, *Hover previews*.
"""

from __future__ import annotations

import copy
import functools
import json
import posixpath
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import lxml.html
from docutils import nodes
from lxml import etree
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from zhiyuan import caches, side_process
from zhiyuan.config import serve_static
from zhiyuan.pages.figures import ZOOM_CLASS

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: the class of links that show a preview (the script's selector)
CLASS = "zy-preview"
#: the folder of the previews' files, under the output folder
FOLDER = "_previews"
#: the class of a preview's first line (a section's title, a term's names)
TITLE_CLASS = "zy-preview-title"
#: the class of a glossary entry's other names in its title
SYNONYMS_CLASS = "zy-preview-synonyms"

_STATIC = str(Path(__file__).resolve().parent / "static")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# what a preview never holds: what runs, what is a control, what names other elements
_DROPPED_TAGS = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "noscript",
    "link",
    "meta",
    "base",
    "dialog",
}
_DROPPED_ATTRIBUTES = {
    "id",
    "href",
    "target",
    "rel",
    "role",
    "tabindex",
    "name",
    "for",
    "form",
    "accesskey",
    "autofocus",
    "contenteditable",
    "popover",
    "popovertarget",
    "aria-describedby",
    "aria-labelledby",
    "aria-controls",
    "aria-owns",
    "aria-details",
}
# elements of these classes are left out: permalinks, equation numbers
_DROPPED_PARTS = {"headerlink", "eqno"}
# classes that would make a preview's copy act like the original (a link with a preview, an
# image that zooms)
_DROPPED_CLASSES = {CLASS, ZOOM_CLASS}
# a short first paragraph is followed by the next one
_SHORT = 60
# a definition shows at most this many blocks
_BLOCKS = 3


def _link_suffix(config: Config) -> str:
    """What the HTML builder ends links to pages with (``html_link_suffix``, ``html_file_suffix``)."""
    if config.html_link_suffix is not None:
        return config.html_link_suffix
    return config.html_file_suffix or ".html"


def _active(app: Sphinx) -> bool:
    """Previews are made for the ``html`` builder (one page per document, ``.html`` links:
    the script finds a page's file from the link)."""
    return app.builder.name == "html" and _link_suffix(app.config) == ".html"


# -- Which links show a preview --------------------------------------------------


def _target_document(
    env: BuildEnvironment, docname: str, refuri: str, link_suffix: str
) -> str | None:
    """The document a relative *refuri* of *docname*'s page points at, if it is one of the site's."""
    path = unquote(refuri.split("#", 1)[0])
    if not path:
        return docname
    if (
        "://" in path
        or path.startswith(("/", "mailto:", "data:"))
        or not path.endswith(link_suffix)
    ):
        return None
    target = posixpath.normpath(
        posixpath.join(posixpath.dirname(docname), path[: -len(link_suffix)])
    )
    return target if target in env.all_docs else None


class MarkPreviewLinks(SphinxPostTransform):
    """Give :data:`CLASS` to the links of a page that can show a preview."""

    default_priority = 900  # after references are resolved
    builders = ("html",)

    def run(self, **kwargs: Any) -> None:
        link_suffix = _link_suffix(self.config)
        if link_suffix != ".html":
            return
        docname = self.env.docname
        for node in self.document.findall(nodes.Element):
            if isinstance(
                node, (nodes.footnote_reference, nodes.citation_reference)
            ) or (
                isinstance(node, nodes.reference)
                and self._to_a_page(node, docname, link_suffix)
            ):
                node["classes"].append(CLASS)

    def _to_a_page(self, node: nodes.reference, docname: str, link_suffix: str) -> bool:
        """Whether *node* is a link to a place of the site, and not a card's or an image's."""
        return (
            bool(node.get("internal") or "refid" in node)
            and "sd-stretched-link" not in node["classes"]
            and node.next_node(nodes.image) is None
            and (
                "refid" in node
                or _target_document(
                    self.env, docname, node.get("refuri", ""), link_suffix
                )
                is not None
            )
        )


# -- What a page's links can point at --------------------------------------------------


def _classes(element: HtmlElement) -> list[str]:
    return (element.get("class") or "").split()


def _to_clean(element: HtmlElement) -> list[HtmlElement]:
    """*element* and what it holds, in document order, but not what KaTeX's HTML holds: a
    formula is dozens of elements, built by KaTeX alone (no link, id or script: the site does
    not trust it with ``\\href`` or ``\\htmlId``), none of which :func:`_clean` would change."""
    found = []
    walk = etree.iterwalk(element, events=("start", "comment", "pi"))
    for _event, child in walk:
        found.append(child)
        if child.get("class") == "katex":
            walk.skip_subtree()
    return found


def _clean(element: HtmlElement) -> HtmlElement:
    """*element* (a copy) as a preview shows it: links as text, no ids, permalinks or equation
    numbers, nothing that runs, nothing that points at another element."""
    for child in _to_clean(element):
        tag, classes = child.tag, child.get("class")
        names = set(classes.split()) if classes else set()
        # comments and processing instructions have no tag name
        if child is not element and (
            not isinstance(tag, str) or tag in _DROPPED_TAGS or names & _DROPPED_PARTS
        ):
            child.drop_tree()
            continue
        if tag == "a":
            child.tag = "span"
        if names & _DROPPED_CLASSES:
            kept = " ".join(
                name for name in classes.split() if name not in _DROPPED_CLASSES
            )
            if kept:
                child.set("class", kept)
            else:
                del child.attrib["class"]
        for name in [
            name
            for name in child.attrib
            if name in _DROPPED_ATTRIBUTES or name.startswith("on")
        ]:
            del child.attrib[name]
        if (
            child.get("src", "")
            .strip()
            .lower()
            .startswith(("javascript:", "data:text/html"))
        ):
            del child.attrib["src"]
    return element


def _html(elements: list[HtmlElement]) -> str:
    return "".join(
        lxml.html.tostring(
            _clean(copy.deepcopy(e)), encoding="unicode", with_tail=False
        )
        for e in elements
    )


def _title(heading: HtmlElement) -> HtmlElement:
    """A paragraph of class :data:`TITLE_CLASS` holding what *heading* holds."""
    title = copy.deepcopy(heading)
    title.tag = "p"
    title.attrib.clear()
    title.set("class", TITLE_CLASS)
    title.tail = None
    return title


def _text_length(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def _opening(section: HtmlElement) -> list[HtmlElement]:
    """The first paragraph of *section* before its first subsection, and the next one if the
    first is short."""
    children = [child for child in section if isinstance(child.tag, str)]
    for i, child in enumerate(children):
        if child.tag == "section":
            break
        if child.tag == "p" and not _classes(child):
            following = children[i + 1] if i + 1 < len(children) else None
            if (
                following is not None
                and following.tag == "p"
                and _text_length(child) < _SHORT
            ):
                return [child, following]
            return [child]
    return []


def _section(section: HtmlElement) -> str | None:
    heading = next((child for child in section if child.tag in _HEADINGS), None)
    if heading is None:
        return None
    return _html([_title(heading), *_opening(section)])


def _append_text(element: HtmlElement, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _glossary_entry(dt: HtmlElement) -> tuple[list[HtmlElement], str]:
    """The terms of *dt*'s glossary entry and the entry's preview: its names (the first, then
    the others as synonyms), its definition."""
    terms, sibling = [dt], dt.getprevious()
    while sibling is not None and sibling.tag == "dt":
        terms.insert(0, sibling)
        sibling = sibling.getprevious()
    sibling = dt.getnext()
    while sibling is not None and sibling.tag == "dt":
        terms.append(sibling)
        sibling = sibling.getnext()
    names = _title(terms[0])
    if len(terms) > 1:
        synonyms = lxml.html.Element("span", {"class": SYNONYMS_CLASS})
        for term in terms[1:]:
            _append_text(synonyms, " · ")
            _append_text(synonyms, term.text)
            for child in term:
                synonyms.append(copy.deepcopy(child))
        names.append(synonyms)
    definition = (
        [child for child in sibling if isinstance(child.tag, str)][:_BLOCKS]
        if sibling is not None
        else []
    )
    return terms, _html([names, *definition])


def _note(aside: HtmlElement) -> str:
    """A footnote's or citation's text, without its label and back-references."""
    note = copy.deepcopy(aside)
    for child in list(note):
        if isinstance(child.tag, str) and {"label", "backrefs"} & set(_classes(child)):
            child.drop_tree()
    note.tag = "div"
    note.attrib.clear()
    note.set("class", "zy-preview-note")
    return _html([note])


def _equation(block: HtmlElement) -> str:
    math = copy.deepcopy(block)
    math.attrib.clear()
    math.set("class", "math")
    return _html([math])


def _preview(element: HtmlElement) -> tuple[list[HtmlElement], str | None]:
    """The elements whose ids name *element*'s preview, and the preview (None: *element* has none)."""
    tag, classes = element.tag, _classes(element)
    parent = element.getparent()
    if tag == "section":
        return [element], _section(element)
    if tag == "dt" and parent is not None and "glossary" in _classes(parent):
        return _glossary_entry(element)
    if tag == "aside" and {"footnote", "citation"} & set(classes):
        return [element], _note(element)
    if tag == "div" and "math" in classes:
        return [element], _equation(element)
    if tag in ("figure", "p"):
        return [element], _html([element])
    return [element], None


def page_previews(body: str) -> dict[str, Any]:
    """The previews of what a link can point at in a page whose body HTML is *body*:
    ``{"ids": {id: index}, "previews": [html, …]}``; the id ``""`` is the page's first section."""
    ids: dict[str, int] = {}
    previews: list[str] = []
    if not body or body.isspace():
        return {"ids": ids, "previews": previews}
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    done: dict[Any, int | None] = {}
    for element in root.xpath("//*[@id]"):  # in document order
        owner = element
        # docutils writes an element's second id as an empty span at the start of the element
        if (
            element.tag == "span"
            and len(element) == 0
            and not element.text
            and element.getparent() is not root
        ):
            owner = element.getparent()
        if owner not in done:
            named, preview = _preview(owner)
            index = None
            if preview is not None:
                index = len(previews)
                previews.append(preview)
            for other in named:
                done[other] = index
        index = done[owner]
        if index is not None:
            ids.setdefault(element.get("id"), index)
            if owner is not element and owner.get("id"):
                ids.setdefault(owner.get("id"), index)
    first = root.find(".//section")
    if first is not None and done.get(first) is not None:
        ids[""] = done[first]
    return {"ids": ids, "previews": previews}


# -- Writing ------------------------------------------------------------------

#: pages whose previews wait to be made, as (page, body HTML), on the builder
_PENDING = "_previews_pending"
#: the forks making previews beside the build, on the builder
_JOBS = "_previews_jobs"
_LOCK = "previews.lock"  # in our caches folder: held while a batch is made beside the build
_NICE = 10  # the previews are waited for only at the end: the pages come first
# pages that make a batch worth a fork (about 7 ms each, against a fork's cost and the
# copy-on-write faults it brings the build); fewer, at the end of writing, are made in the build
_BATCH = 24


def _file(app: Sphinx, pagename: str) -> Path:
    return Path(app.outdir, FOLDER, *f"{pagename}.json".split("/"))


def _write(path: Path, body: str) -> None:
    """Write the previews of a page whose body HTML is *body* to *path*, if they changed."""
    data = json.dumps(page_previews(body), ensure_ascii=False, separators=(",", ":"))
    encoded = data.encode("utf-8")
    if not path.is_file() or path.read_bytes() != encoded:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encoded)


def _write_batch(pages: list[tuple[Path, str, str]]) -> None:
    """Write the previews of *pages* (file, page name, body); an error names its page."""
    for path, pagename, body in pages:
        try:
            _write(path, body)
        except Exception as error:
            error.add_note(f"(the previews of {pagename})")
            raise


def _report(problem: str) -> None:
    logger.warning("the hover previews could not be made: %s", " ".join(problem.split("\n")),
                   type="previews", subtype="write")


def _beside(app: Sphinx) -> bool:
    """Whether pages' previews are made in batches beside the build: in a serial write (the
    writing processes of ``-j`` make their pages' previews themselves, and end with them)."""
    return app.parallel <= 1


def _start_batch(app: Sphinx) -> None:
    """Make the previews of the pages waiting for them in a fork of the build (where there is
    no fork: now)."""
    pages = getattr(app.builder, _PENDING)
    setattr(app.builder, _PENDING, [])
    work = functools.partial(_write_batch, [(_file(app, name), name, body) for name, body in pages])
    job = side_process.start_or_run(work, lock=caches.path(app.doctreedir, _LOCK), nice=_NICE, failed=_report)
    if job is not None:
        getattr(app.builder, _JOBS).append(job)


def _on_builder_inited(app: Sphinx) -> None:
    """No pages wait for their previews yet."""
    setattr(app.builder, _PENDING, [])
    setattr(app.builder, _JOBS, [])


def _on_html_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Write the previews of a document's page, if they changed: in a serial write, with a batch
    of other pages beside the build, once the last batch is done."""
    if doctree is None or not _active(app):
        return
    body = context.get("body") or ""
    if not _beside(app):
        _write(_file(app, pagename), body)
        return
    pending = getattr(app.builder, _PENDING)
    pending.append((pagename, body))
    jobs = getattr(app.builder, _JOBS)
    if len(pending) >= _BATCH and not any(side_process.running(job) for job in jobs):
        _start_batch(app)


def _on_html_collect_pages(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Every document's page is written: make the previews of those still waiting, beside the
    build while it writes the generated pages if they are many, else now."""
    pending = getattr(app.builder, _PENDING, [])
    if len(pending) >= _BATCH:
        _start_batch(app)
    elif pending:
        setattr(app.builder, _PENDING, [])
        try:
            _write_batch([(_file(app, name), name, body) for name, body in pending])
        except Exception as error:  # noqa: BLE001  (reported as a batch beside the build would be)
            _report("".join(traceback.format_exception_only(error)).strip())
    return []


def _on_env_get_outdated(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    """Note removed documents, whose previews are deleted once the build succeeded."""
    app._previews_removed = set(removed)
    return []


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the previews made beside the build and say if they failed; delete the previews
    of removed documents."""
    for job in getattr(app.builder, _JOBS, []):
        problem = side_process.finish(job)
        if problem and exception is None:
            _report(problem)
    setattr(app.builder, _JOBS, [])
    setattr(app.builder, _PENDING, [])
    removed = app.__dict__.pop("_previews_removed", set())
    if exception is None and _active(app):
        for docname in sorted(removed):
            _file(app, docname).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.add_post_transform(MarkPreviewLinks)
    app.add_css_file("zhiyuan-previews.css")
    app.add_js_file("zhiyuan-previews.js")
    serve_static(app, _STATIC)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("html-collect-pages", _on_html_collect_pages)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
