"""Diagrams drawn at build time: Mermaid and Graphviz to SVG files, shown as figures.

* **Mermaid**: a ```` ```{mermaid} ```` fence (options ``:alt:``, ``:caption:``, ``:name:``,
  ``:class:``) is drawn by `@mermaid-js/mermaid-cli` (npm) in the system's Chromium: every
  diagram of a build not yet in the cache in one browser, by one ``node`` process
  (``mermaid.mjs``).  No page loads Mermaid's JavaScript.
* **Graphviz**: ``sphinx.ext.graphviz``'s directives (``{graphviz}``, ``{digraph}``, ``{graph}``)
  with its options; ``dot`` (Debian ``graphviz``) draws them with ``graphviz_dot_args``.

While a document is read its diagrams are recorded (kind, source, line) in the environment's
store; after reading (``env-updated``) those not in our cache folder are drawn, each SVG
named by its kind and a digest of its source, its renderer's version and settings
(``mermaid-<digest>.svg``), so an unchanged diagram costs nothing on a rebuild, clean or
incremental.  Mermaid's SVGs are also kept beside the sources (``diagrams_committed``, the
site's ``docs/_diagrams/``, committed with the post; :mod:`.committed`, which the plots
share): a build that finds a diagram's SVG there draws nothing, so Read the Docs needs no
browser, and every machine serves the same bytes; a new or changed diagram is drawn where
Chromium is (``nox -s build``, CI) and its file written there to commit; the file of a
diagram no page shows any more is deleted there (``tests/site/test_diagrams.py`` fails while
one is missing or left over).  Graphviz's take milliseconds and are drawn everywhere, a few
``dot`` processes at once.  A
diagram that cannot be drawn, or a renderer that is missing, is a warning naming the file and
line (``diagrams.render``, ``diagrams.tool``), and the page shows the diagram's source instead.

When a page is written each diagram becomes an ``<img>`` of ``_images/<kind>-<digest>.svg``:
an image like any other, so :mod:`zhiyuan.pages.figures` gives it its size, lazy loading and
zoom, and its caption its number (图 n).  Alt text is required as for images (``figures.alt``).
Not ``sphinx.ext.graphviz``'s ``<object>``, which the site's policy (``object-src 'none'``)
blocks.  Diagrams are drawn on a transparent background in dark lines; in dark mode our sheet
puts a light card behind them (``zhiyuan-diagrams.css``).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import shutil
import subprocess
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.ext.graphviz import figure_wrapper, graphviz
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from zhiyuan import caches, config, state
from zhiyuan.pages.diagrams import committed
from zhiyuan.pages.figures import ZOOM_CLASS, node_line
from zhiyuan.pages.figures.sizes import image_size
from zhiyuan.config import serve_static

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
_STATIC = str(_HERE / "static")
_SCRIPT = _HERE / "mermaid.mjs"
# per document: its diagrams as (kind, source, options, line)
_TABLE = "diagrams.sources"
_CACHE = "diagrams"
# Graphviz diagrams drawn at once (each ``dot`` mostly starts up and waits on its pipes)
_DOT_AT_ONCE = 4
#: the class every diagram's <img> carries (a light card behind it in dark mode)
DIAGRAM_CLASS = "zy-diagram"

# per application: each renderer's version and settings (asked once per build)
_renderers: weakref.WeakKeyDictionary[Sphinx, dict[str, str]] = weakref.WeakKeyDictionary()
#: diagrams drawn by this process, by kind (tests read it: an unchanged diagram is not drawn again)
drawn = {"mermaid": 0, "graphviz": 0}


class mermaid(nodes.General, nodes.Inline, nodes.Element):
    """A Mermaid diagram: ``code`` its source, ``alt`` its alt text."""


class MermaidDirective(SphinxDirective):
    """```` ```{mermaid} ```` — a Mermaid diagram, drawn at build time."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = mermaid()
        node["code"] = "\n".join(self.content).strip()
        node["alt"] = self.options.get("alt", "")
        node["classes"] += self.options.get("class", [])
        self.set_source_info(node)
        if "caption" in self.options:
            node = figure_wrapper(self, node, self.options["caption"])
        self.add_name(node)
        return [node]


# -- Reading -------------------------------------------------------------------


def _source(node: nodes.Element) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    """``(kind, source, options)`` of a diagram node, or None for another node."""
    if isinstance(node, mermaid):
        return "mermaid", node["code"], ()
    if isinstance(node, graphviz):
        layout = node.get("options", {}).get("layout") or node.get("options", {}).get("graphviz_dot") or ""
        return "graphviz", node["code"], (("layout", layout),) if layout else ()
    return None


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record the document's diagrams; warn of one without alt text or source."""
    docname = app.env.docname
    found = []
    for node in doctree.findall(lambda n: isinstance(n, (mermaid, graphviz))):
        kind, code, options = _source(node)
        location = (docname, node_line(node))
        if not str(node.get("alt", "")).strip():
            logger.warning(
                "%s diagram has no alt text: readers who cannot see it get nothing; describe it with :alt:",
                kind.capitalize(), type="figures", subtype="alt", location=location,
            )
        if not code.strip():
            logger.warning("%s diagram is empty", kind.capitalize(), type="diagrams", subtype="render",
                           location=location)
        found.append((kind, code, options, location[1]))
    table = state.per_document(app.env, _TABLE)
    if found:
        table[docname] = tuple(found)


# -- Drawing -------------------------------------------------------------------


def _mermaid_package(app: Sphinx) -> Path:
    return Path(app.confdir, app.config.diagrams_mermaid_cli)  # relative to conf.py


def _renderer_version(app: Sphinx, kind: str) -> str:
    """The renderer's version and settings, part of every diagram's digest (cached per build)."""
    versions = _renderers.setdefault(app, {})
    if kind not in versions:
        if kind == "mermaid":
            try:
                package = json.loads((_mermaid_package(app) / "package.json").read_text(encoding="utf-8"))
                version = package["version"]
            except (OSError, ValueError, KeyError):
                version = "missing"
            versions[kind] = json.dumps([version, app.config.diagrams_mermaid_config], sort_keys=True)
        else:
            try:
                done = subprocess.run([app.config.graphviz_dot, "-V"], check=False, capture_output=True, text=True, timeout=30)
                version = done.stderr.strip()
            except (OSError, subprocess.SubprocessError):
                version = "missing"
            versions[kind] = json.dumps([version, list(app.config.graphviz_dot_args)])
    return versions[kind]


def digest(app: Sphinx, kind: str, code: str, options: tuple) -> str:
    """The name of a diagram's SVG: a digest of what it is drawn from."""
    text = json.dumps([kind, _renderer_version(app, kind), code, list(options)], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _cache(app: Sphinx) -> Path:
    folder = caches.path(app.doctreedir, _CACHE)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cannot_draw(locations: list[tuple[str, int | None]], message: str, *args: Any) -> None:
    """The renderer rejected the diagram: a warning at each place it is used."""
    for location in locations:
        logger.warning(message, *args, type="diagrams", subtype="render", location=location)


def _no_renderer(locations: list[tuple[str, int | None]], message: str, *args: Any) -> None:
    """The renderer is missing or failed: a warning at each place a diagram waits for it."""
    for location in locations:
        logger.warning(message, *args, type="diagrams", subtype="tool", location=location)


def _run_dot(command: list[str], code: str) -> subprocess.CompletedProcess[bytes] | Exception:
    """Draw one Graphviz diagram with *command*; what ``dot`` did, or why it could not run."""
    try:
        return subprocess.run(command, check=False, input=code.encode("utf-8"), capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return error


def _draw_graphviz(app: Sphinx, jobs: dict[str, tuple[str, tuple, list]], folder: Path) -> None:
    """Draw each Graphviz diagram with ``dot`` (a few milliseconds of work each, most of it
    starting the program): a few at once, their results taken in order."""
    commands = []
    for code, options, _locations in jobs.values():
        command = [app.config.graphviz_dot, *app.config.graphviz_dot_args, "-Tsvg"]
        command += [f"-K{value}" for name, value in options if name == "layout"]
        commands.append((command, code))
    with concurrent.futures.ThreadPoolExecutor(max_workers=_DOT_AT_ONCE) as pool:
        done_all = list(pool.map(lambda job: _run_dot(*job), commands))
    for (key, (_code, _options, locations)), done in zip(jobs.items(), done_all):
        if isinstance(done, OSError):
            _no_renderer(locations, "cannot draw the Graphviz diagram: %r not found (install Debian's graphviz)",
                         app.config.graphviz_dot)
            continue
        if isinstance(done, subprocess.TimeoutExpired):
            _cannot_draw(locations, "Graphviz took more than 60 s to draw the diagram")
            continue
        if done.returncode != 0 or not done.stdout.lstrip().startswith(b"<"):
            error = done.stderr.decode("utf-8", "replace").strip().replace("\n", " ") or "no output"
            _cannot_draw(locations, "Graphviz cannot draw the diagram: %s", error)
            continue
        drawn["graphviz"] += 1
        (folder / f"graphviz-{key}.svg").write_bytes(done.stdout)


def _draw_mermaid(app: Sphinx, jobs: dict[str, tuple[str, tuple, list]], folder: Path) -> None:
    """Draw the Mermaid diagrams with mermaid-cli, all in one browser started once."""
    package = _mermaid_package(app)
    every = [location for _code, _options, locations in jobs.values() for location in locations]
    node = shutil.which(app.config.diagrams_node)
    browser = app.config.diagrams_browser
    missing = (
        f"{app.config.diagrams_node!r} (Node.js) not found" if node is None
        else f"{package} not found (run npm ci)" if not (package / "package.json").is_file()
        else f"the browser {browser!r} not found (install Debian's chromium)" if not Path(browser).is_file()
        else None
    )
    if missing:
        _no_renderer(every, "cannot draw the Mermaid diagram: %s", missing)
        return
    request = {
        "package": str(package),
        "browser": browser,
        "config": app.config.diagrams_mermaid_config,
        "jobs": [{"key": key, "code": code, "out": str(folder / f"mermaid-{key}.svg")} for key, (code, _o, _l) in jobs.items()],
    }
    try:
        done = subprocess.run([node, str(_SCRIPT)], check=False, input=json.dumps(request).encode("utf-8"),
                              capture_output=True, timeout=60 + 20 * len(jobs))
    except (OSError, subprocess.TimeoutExpired) as error:
        _no_renderer(every, "cannot draw the Mermaid diagram: %s", error)
        return
    answered = {}
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        try:
            answer = json.loads(line)
            answered[answer["key"]] = answer["error"]
        except (ValueError, KeyError, TypeError):
            continue
    errors = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if "Error" in line]
    failure = errors[:1] or [f"node exited with status {done.returncode}"]
    for key, (_code, _options, locations) in jobs.items():
        if key not in answered:
            _no_renderer(locations, "cannot draw the Mermaid diagram: %s", failure[0])
        elif answered[key] is not None:
            _cannot_draw(locations, "Mermaid cannot draw the diagram: %s", answered[key])
        else:
            drawn["mermaid"] += 1


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Draw every diagram of the site not yet in the cache: Mermaid's in one batch, unless the
    sources hold its SVG already (``diagrams_committed``, where a Mermaid SVG just drawn is
    written to commit)."""
    folder = _cache(app)
    jobs: dict[str, dict[str, tuple[str, tuple, list]]] = {"mermaid": {}, "graphviz": {}}
    mermaid_files = set()
    for docname, found in sorted(state.per_document(env, _TABLE).items()):
        for kind, code, options, line in found:
            if not code.strip():
                continue
            key = digest(app, kind, code, options)
            name = f"{kind}-{key}.svg"
            if kind == "mermaid":
                mermaid_files.add(folder / name)
            if (folder / name).is_file() or (kind == "mermaid" and committed.restore(env, folder, name)):
                continue
            jobs[kind].setdefault(key, (code, options, []))[2].append((docname, line))
    if jobs["graphviz"]:
        _draw_graphviz(app, jobs["graphviz"], folder)
    if jobs["mermaid"]:
        _draw_mermaid(app, jobs["mermaid"], folder)
    committed.keep(env, sorted(file for file in mermaid_files if file.is_file()))
    return []  # a page's diagrams change only when it is read again, and then it is written


# -- Writing -------------------------------------------------------------------


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each diagram becomes an image of its SVG (copied to ``_images/``), or its source if it
    could not be drawn."""
    if app.builder.format != "html":
        return
    folder = _cache(app)
    for node in list(doctree.findall(lambda n: isinstance(n, (mermaid, graphviz)))):
        kind, code, options = _source(node)
        name = f"{kind}-{digest(app, kind, code, options)}.svg"
        svg = folder / name
        size = image_size(svg) if svg.is_file() else None
        if size is None:
            node.replace_self(nodes.literal_block(code, code, classes=["zy-diagram-source"]))
            continue
        target = Path(app.outdir, app.builder.imagedir, name)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(svg, target)
        uri = relative_uri(app.builder.get_target_uri(docname), f"{app.builder.imagedir}/{name}")
        image = nodes.image(uri=uri, alt=node.get("alt", ""), candidates={"*": uri})
        image["classes"] += [DIAGRAM_CLASS, f"{DIAGRAM_CLASS}-{kind}", *node.get("classes", [])]
        if not isinstance(node.parent, nodes.reference):
            image["classes"].append(ZOOM_CLASS)
        image["zy_width"], image["zy_height"] = size
        image.source, image.line = node.source, node.line
        node.replace_self(image)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Delete the diagram files in ``_images/`` that no page shows any more, so an incremental
    build leaves what a clean one writes; and those of ``diagrams_committed``, so a changed or
    deleted diagram leaves no file behind to commit (:func:`committed.prune`)."""
    if exception is not None or app.builder.format != "html":
        return
    shown = {
        f"{kind}-{digest(app, kind, code, options)}.svg"
        for found in state.per_document(app.env, _TABLE).values()
        for kind, code, options, _line in found
        if code.strip()
    }
    for kind in ("mermaid", "graphviz"):
        committed.prune(app, f"{kind}-*.svg", shown)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.pages.figures")
    app.setup_extension("sphinx.ext.graphviz")
    config.declare(app, __name__)
    app.add_node(mermaid)
    app.add_directive("mermaid", MermaidDirective)
    app.add_css_file("zhiyuan-diagrams.css")
    serve_static(app, _STATIC)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-updated", _on_env_updated)
    app.connect("doctree-resolved", _on_doctree_resolved)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
