"""Math typeset at build time with KaTeX, from assets the site serves itself.

sphinxcontrib-katex's prerendering starts a KaTeX server per writing process,
ignores ``katex_options`` (so macros do not work, sphinxcontrib-katex #65),
leaves formulas KaTeX cannot parse as red text, renders every formula anew and
leaks servers under ``-j``.  This extension keeps sphinxcontrib-katex for its
configuration and its client-side mode and replaces the prerendering:

* while documents are read, the formulas of each one are recorded (TeX, display
  mode, line; small strings, purged and merged per document);
* every formula not yet in the cache is rendered by one short-lived ``node``
  process running the KaTeX bundled with sphinxcontrib-katex, with
  ``katex_ssr_macros``: in a serial read it starts at the first formula not in
  the cache and is sent each document's new formulas as the document is read,
  so that it renders them on the other core while Sphinx reads on (its answers
  go to a temporary file, so neither side waits for the other); once all
  documents are read it is sent what is still missing (a parallel read's
  formulas, all of them) and waited for; a formula KaTeX rejects is a warning
  naming the file and line;
* the HTML writer only looks formulas up in the cache (kept in the doctree
  directory, keyed by TeX, display mode, macros and KaTeX version), so writing,
  serial or parallel, starts no process at all.

KaTeX's CSS and fonts are copied from ``katex_ssr_assets`` (the npm ``katex``
package, pinned in ``package.json``) into ``_static/katex/``.  Without Node.js
the build falls back to sphinxcontrib-katex's client-side rendering, using the
same local files, and says so once.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging

from zhiyuan import caches, state
from zhiyuan.compat import sphinxcontrib_katex as katex
from zhiyuan.config import declare
from zhiyuan.pages.generated import environment_changed
from zhiyuan.theme import page_assets

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

RENDERER = "katex_ssr"
_RENDER_SCRIPT = Path(__file__).resolve().parent / "render.js"
# the renderer (macros, KaTeX version) whose cache held every formula of the environment
_COMPLETE = "katex_ssr.cache_complete_for"
_CACHE_FILE = "katex_ssr_cache.pickle"
_RENDER_TIMEOUT = 600


# -- Formulas and their cache ------------------------------------------------


def _formulas(env: BuildEnvironment) -> dict[str, list[tuple[str, bool, int | None]]]:
    return state.per_document(env, "katex_ssr.formulas")


def _tex(node: nodes.Element) -> str:
    return node.astext()


def _renderer_digest(macros: dict[str, str]) -> str:
    context = json.dumps([macros, katex.katex_version()], sort_keys=True)
    return hashlib.sha256(context.encode("utf-8")).hexdigest()


_Key = tuple[bool, str]


# what of a formula's HTML is not text it shows: tags, and the TeX source kept for copying
_NOT_SHOWN = re.compile(r"<annotation[^>]*>.*?</annotation>|<[^>]+>", re.DOTALL)


def shown_characters(rendered: str) -> set[int]:
    """The characters a formula's KaTeX HTML shows (each drawn in one of KaTeX's fonts or a fallback)."""
    return {ord(char) for char in html.unescape(_NOT_SHOWN.sub("", rendered))}


class _Cache:
    """Rendered formulas, ``{(display, tex): ("html" | "error", text)}``, kept between builds.

    The file holds the entries of one renderer (macros and KaTeX version): with
    other macros or another KaTeX it is an empty cache.  A key is the formula
    itself, not a digest of it: a build looks up every formula of the site.
    It also keeps the characters the rendered formulas show (:attr:`characters`), for
    KaTeX's fonts cut to them (:mod:`zhiyuan.theme.page_assets`): they grow with new
    formulas and are counted anew only when the cache starts empty.
    """

    def __init__(self, path: Path, macros: dict[str, str]) -> None:
        self.path = path
        self.renderer = _renderer_digest(macros)
        self.entries: dict[_Key, tuple[str, str]] = {}
        self.characters: set[int] = set()
        self.rendered_this_build = 0
        self.loaded = False
        stored = caches.read(path)
        if isinstance(stored, dict) and stored.get("renderer") == self.renderer:
            self.entries = stored["entries"]
            self.characters = stored.get("characters") or {
                char for kind, text in self.entries.values() if kind == "html" for char in shown_characters(text)
            }
            self.loaded = True

    def add(self, rendered: dict[_Key, tuple[str, str]]) -> None:
        """Take in newly rendered formulas."""
        self.entries.update(rendered)
        for kind, text in rendered.values():
            if kind == "html":
                self.characters |= shown_characters(text)
        self.rendered_this_build += len(rendered)

    @staticmethod
    def key(tex: str, display: bool) -> _Key:
        return (display, tex)

    def save(self, keep: set[_Key]) -> None:
        """Keep only the entries in *keep*; write the file only if that changed anything."""
        kept = {key: value for key, value in self.entries.items() if key in keep}
        if len(kept) == len(self.entries) and not self.rendered_this_build and self.loaded:
            return
        self.entries = kept
        caches.write(self.path, {"renderer": self.renderer, "entries": self.entries, "characters": self.characters})
        self.loaded = True


class Renderer:
    """A ``node`` process running KaTeX, rendering formulas as they are sent (one JSON line
    each) while the build goes on; its answers go to a temporary file, so it never waits for
    the build to read them."""

    def __init__(self, node: str, macros: dict[str, str]) -> None:
        self._answers = tempfile.TemporaryFile()
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [node, str(_RENDER_SCRIPT), str(katex.KATEX_JS)],
            stdin=subprocess.PIPE,
            stdout=self._answers,
            stderr=self._errors,
        )
        self._sent = 0
        self._send([json.dumps({"macros": macros})])

    def _send(self, lines: list[str]) -> None:
        # a renderer that ended early (it failed) takes nothing more: results() says why
        with contextlib.suppress(BrokenPipeError):
            self._process.stdin.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
            self._process.stdin.flush()

    def send(self, formulas: list[tuple[str, bool]]) -> None:
        """Have *formulas* (TeX, display mode) rendered, after those sent before."""
        self._send([json.dumps({"tex": tex, "display": display}) for tex, display in formulas])
        self._sent += len(formulas)

    def results(self) -> list[tuple[str, str]]:
        """Wait for the end: ``("html", …)`` or ``("error", …)`` for each formula sent, in order."""
        try:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
            self._process.wait(timeout=_RENDER_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        self._answers.seek(0)
        answers = [json.loads(line) for line in self._answers.read().decode("utf-8").splitlines()]
        self._errors.seek(0)
        errors = self._errors.read().decode("utf-8", "replace").strip()
        self._answers.close()
        self._errors.close()
        if self._process.returncode != 0 or len(answers) != self._sent:
            raise RuntimeError(f"KaTeX renderer failed: {errors or f'status {self._process.returncode}'}")
        return [("html", r["html"]) if "html" in r else ("error", r["error"]) for r in answers]

    def stop(self) -> None:
        """End the process, its work unfinished."""
        if self._process.returncode is None:
            self._process.kill()
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
            self._process.wait()
        self._answers.close()
        self._errors.close()


def start_renderer(node: str, macros: dict[str, str]) -> Renderer:
    """A ``node`` process loading KaTeX, then rendering the formulas it is sent."""
    return Renderer(node, macros)


def render_batch(node: str, formulas: list[tuple[str, bool]], macros: dict[str, str]) -> list[tuple[str, str]]:
    """Render *formulas* with one ``node`` process; ``("html", …)`` or ``("error", …)`` each."""
    renderer = start_renderer(node, macros)
    renderer.send(formulas)
    return renderer.results()


# -- Event handlers ----------------------------------------------------------


def _on_config_inited(app: Sphinx, config: Config) -> None:
    """Choose between build-time and in-browser rendering; serve KaTeX's CSS locally."""
    macros = config.katex_ssr_macros
    app._katex_ssr_node = None
    if not katex.active(app):
        return  # sphinxcontrib-katex renders as configured
    app._katex_ssr_node = shutil.which(config.katex_ssr_node) if config.katex_prerender else None
    if config.katex_prerender and app._katex_ssr_node:
        config.html_math_renderer = RENDERER
    else:
        if config.katex_prerender:
            logger.info(
                "katex_ssr: Node.js (%r) not found; math will be rendered in the browser "
                "from the site's own copy of KaTeX",
                config.katex_ssr_node,
            )
        katex.render_in_browser(config, macros)
    katex.use_css(config, "katex/katex.min.css")


def _on_builder_inited(app: Sphinx) -> None:
    """Stage KaTeX's CSS and fonts for ``_static/katex/``; open the render cache."""
    app.builder._katex_ssr_cache = _Cache(caches.path(app.doctreedir, _CACHE_FILE), app.config.katex_ssr_macros)
    if app.builder.format != "html":
        return
    assets = Path(app.confdir, app.config.katex_ssr_assets)  # relative to conf.py
    package = assets.parent / "package.json"
    if not (assets / "katex.min.css").is_file():
        logger.warning(
            "KaTeX CSS not found in %s; run `npm ci` (package.json pins katex %s)",
            assets,
            katex.katex_version(),
            type="katex_ssr",
            subtype="assets",
        )
        return
    version = json.loads(package.read_text(encoding="utf-8")).get("version") if package.is_file() else None
    if version != katex.katex_version():
        logger.warning(
            "KaTeX assets are version %s but sphinxcontrib-katex bundles %s; pin katex %s in package.json",
            version,
            katex.katex_version(),
            katex.katex_version(),
            type="katex_ssr",
            subtype="version",
        )
    staging = caches.path(app.doctreedir, "katex_ssr_static")
    target = staging / "katex"
    wanted = {"katex.min.css": assets / "katex.min.css"}
    wanted.update((f"fonts/{font.name}", font) for font in sorted((assets / "fonts").iterdir()))
    _stage(wanted, target)
    app.config.html_static_path = [*app.config.html_static_path, str(staging)]
    if _prerendering(app):
        # every formula is HTML made here: KaTeX's fonts need only the characters they show
        page_assets.cut_fonts_to_text(app, "KaTeX_", lambda: app.builder._katex_ssr_cache.characters)


def _stage(files: dict[str, Path], target: Path) -> None:
    """Make *target* hold *files* (relative name: source), copying only those whose size or
    time differ from the copy there (a build copies nothing), and nothing else."""
    for name, source in files.items():
        copy = target / name
        mine, theirs = source.stat(), copy.stat() if copy.is_file() else None
        if theirs is None or (theirs.st_size, theirs.st_mtime_ns) != (mine.st_size, mine.st_mtime_ns):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
    for path in sorted(target.rglob("*"), reverse=True):
        name = path.relative_to(target).as_posix()
        if path.is_file() and name not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _prerendering(app: Sphinx) -> bool:
    """Whether formulas are rendered at build time (Node.js found, our renderer chosen)."""
    return app.config.html_math_renderer == RENDERER and bool(app._katex_ssr_node)


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record the formulas of the document just read; in a serial read, have those not in the
    cache rendered now, while the other documents are read."""
    # a class per walk: docutils then tests it inline (a callable is called on every node)
    found = sorted(
        [(_tex(node), False, node.line) for node in doctree.findall(nodes.math)]
        + [(_tex(node), True, node.line) for node in doctree.findall(nodes.math_block)],
        key=lambda formula: formula[2] or 0,
    )
    if found:
        _formulas(app.env)[app.env.docname] = found
        _render_early(app, found)


def _render_early(app: Sphinx, found: list[tuple[str, bool, int | None]]) -> None:
    """Send the renderer the formulas of *found* not in the cache nor sent yet, starting it at
    the first (not in a parallel reader: the renderer would end with it)."""
    if app.parallel > 1 or not _prerendering(app):
        return
    cache: _Cache = app.builder._katex_ssr_cache
    sent: dict[_Key, int] = app.__dict__.setdefault("_katex_ssr_sent", {})
    new = []
    for tex, display, _line in found:
        key = cache.key(tex, display)
        if key not in cache.entries and key not in sent:
            sent[key] = len(sent)
            new.append((tex, display))
    if not new:
        return
    if "_katex_ssr_renderer" not in app.__dict__:
        app._katex_ssr_renderer = start_renderer(app._katex_ssr_node, app.config.katex_ssr_macros)
    app._katex_ssr_renderer.send(new)


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Remember which documents this build reads: only their errors are reported."""
    app._katex_ssr_read = set(docnames)


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Render every formula not yet cached (most of them already, as they were read); report
    those KaTeX rejects."""
    renderer = app.__dict__.pop("_katex_ssr_renderer", None)
    sent = app.__dict__.pop("_katex_ssr_sent", {})
    try:
        _render_missing(app, env, renderer, sent)
    finally:
        if renderer is not None:
            renderer.stop()  # done, or started for formulas that turned out to be cached, or failed
    return []


def _render_missing(app: Sphinx, env: BuildEnvironment, renderer: Renderer | None, sent: dict[_Key, int]) -> None:
    if not _prerendering(app):
        return
    cache: _Cache = app.builder._katex_ssr_cache
    if (not environment_changed(app) and cache.loaded
            and state.site_value(env, _COMPLETE) == cache.renderer):
        # the formulas are the last build's, and its cache held every one of them
        return
    wanted: dict[_Key, tuple[str, bool]] = {}
    for records in _formulas(env).values():
        for tex, display, _line in records:
            wanted.setdefault(cache.key(tex, display), (tex, display))
    missing = sorted(key for key in wanted if key not in cache.entries)
    if missing:
        if renderer is None:
            renderer, sent = start_renderer(app._katex_ssr_node, app.config.katex_ssr_macros), {}
        rest = [key for key in missing if key not in sent]
        for key in rest:
            sent[key] = len(sent)
        renderer.send([wanted[key] for key in rest])
        results = renderer.results()
        cache.add({key: results[sent[key]] for key in missing})
    for docname in sorted(getattr(app, "_katex_ssr_read", ())):
        for tex, display, line in _formulas(env).get(docname, ()):
            kind, text = cache.entries[cache.key(tex, display)]
            if kind == "error":
                logger.warning(
                    "KaTeX cannot render %r: %s",
                    tex,
                    text,
                    type="katex_ssr",
                    subtype="render",
                    location=(docname, line),
                )
    cache.save(keep=set(wanted))
    state.set_site_value(env, _COMPLETE, cache.renderer)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Stop a renderer started for a build that failed before all documents were read."""
    renderer = app.__dict__.pop("_katex_ssr_renderer", None)
    app.__dict__.pop("_katex_ssr_sent", None)
    if renderer is not None:
        renderer.stop()


# -- HTML ---------------------------------------------------------------------


def _rendered(self, node: nodes.Element, display: bool) -> str:
    cache: _Cache = self.builder._katex_ssr_cache
    entry = cache.entries.get(cache.key(_tex(node), display))
    if entry is None or entry[0] == "error":
        # already reported as a warning; show the source rather than nothing
        return f'<code class="katex-ssr-error">{self.encode(_tex(node))}</code>'
    return entry[1]


def _visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math"))
    self.body.append(_rendered(self, node, display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def _visit_math_block(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math"))
    if node.get("number"):
        number = katex.equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Permalink to this equation"))
        self.body.append("</span>")
    self.body.append(_rendered(self, node, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("sphinxcontrib.katex")
    app.setup_extension("zhiyuan.pages.generated")  # whether this build changed the environment
    declare(app, "zhiyuan.formulas.katex_ssr")
    app.add_html_math_renderer(
        RENDERER,
        inline_renderers=(_visit_math, None),
        block_renderers=(_visit_math_block, None),
    )
    app.connect("config-inited", _on_config_inited, priority=400)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("env-updated", _on_env_updated)
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
