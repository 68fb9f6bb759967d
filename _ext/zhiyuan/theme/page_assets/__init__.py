"""One render-blocking style sheet per page, holding what the site can use; one deferred script.

Out of the box every page's ``<head>`` links fourteen style sheets (one of them importing
another) and eight scripts, each a request the browser finishes before it draws anything,
and pydata-sphinx-theme's sheet alone carries all of Bootstrap.  This extension makes
the head hold two things that block rendering: the colour-mode script (it must run before
the first paint, or a dark-mode reader sees a white flash) and ``_static/zhiyuan.css``:

* **one sheet**: the theme's head sheets and every sheet in Sphinx's list, in their order,
  joined; ``@import`` rules inlined; ``url()`` references rebased (:mod:`.css`).
* **only what can match**: the themes' sheets (``page_assets_purge``) keep a rule only if
  each class and id its selector needs is a word of what writes the pages: the templates
  of the theme and its parents, the Python of the packages that write HTML
  (:data:`_HTML_WRITERS`), our extension, the site's scripts, and every class and node
  name in the documents' doctrees (recorded while reading: :func:`_on_doctree_read`), plus
  the patterns of ``page_assets_keep``.  The scripts of ``page_assets_left_out`` count for
  nothing, wherever their copy lies: no page loads them (:func:`_left_out`; Bootstrap's
  names every component of its own, which no page of the site shows).  Our own sheets,
  KaTeX's, Pygments' and copybutton's are kept whole; sphinx-design's (utility classes for
  every colour and size) is purged like the themes'.
* **rewritten by other parts** (:func:`rewrite_sheet`): :mod:`zhiyuan.theme.icons` leaves
  Font Awesome's rules and fonts out, its icons being inline SVG.
* **fonts cut to what is drawn** (:mod:`.fonts`, in ``_static/fonts/``): each icon font's
  face (Font Awesome's, where no part draws its icons otherwise) to the icons the kept rules
  name; the faces of a family registered with
  :func:`cut_fonts_to_text` (KaTeX's, by :mod:`zhiyuan.formulas.katex_ssr`) to the characters
  its text shows; a face left with no glyph is dropped.  A page preloads the cut text faces
  the classes of its body select: its formulas do not move when their fonts arrive, and the
  browser does not wait for faces its first layout discovers (which it fetches at the
  highest priority, ahead of everything the first paint needs).
* **scripts deferred**: every script in Sphinx's list gets ``defer`` (they keep their
  order and run before ``DOMContentLoaded``, which is what they wait for), and so do the
  two the theme's layout loads at the end of the body (Bootstrap's and pydata's, read from
  its macro file by :func:`zhiyuan.compat.pydata_sphinx_theme.body_scripts`), which join the
  list last when the layout is portal_theme's (it then leaves out its own tags); the scripts
  of ``page_assets_scripts_for`` (the copy button's) only on pages with an element of one of
  their classes, those of ``page_assets_left_out`` on none (the theme's included: the site
  leaves out Bootstrap's, whose work ``theme/controls`` does).
* **scripts joined** (``page_assets_join_scripts``): a page's deferred classic scripts under
  ``_static/`` are one file, ``_static/zhiyuan-js/<digest>.js``, in their order
  (:mod:`.js` says how the parts stay as they were), so the page makes one script request
  besides the colour-mode script in its head (which the layout writes before the sheet and
  is no part of Sphinx's list).  The joined script's tag carries the parts' ``data-*``
  attributes: ``document.currentScript`` is that element while any part runs, and
  ``strict_csp/page.js`` and sphinx-design's ``design-tabs.js`` read their settings from it.
  Modules, ``async`` scripts, other sites' scripts and scripts with other attributes are not
  joined, and a script setting a ``data-*`` attribute to another value than an earlier part
  stays a script of its own; a script that runs in the deferred order and is not joined ends
  the run, and the scripts after it go into a next file (:func:`_join_scripts`).
* **scripts after the first paint** (``page_assets_after_paint``, on pages with
  ``strict_csp``'s head script): a page's deferred scripts get the type
  :data:`AFTER_PAINT`, which the browser neither fetches nor runs, and ``strict_csp/head.js``
  puts them back, in order, once the page is parsed and first drawn (:func:`_held`): on a
  slow network they do not share the connection with the page, its sheet and its fonts.
  They run after ``DOMContentLoaded`` then, which ``head.js`` sends again once they have run,
  for the parts that wait for it without asking ``document.readyState`` (sphinx-design's tabs).

The sheet is made each time the builder has copied the static files, before any page is
written (:func:`zhiyuan.compat.sphinx.after_copying_assets`; no-op builds included), and
cached by content in the doctree folder, so a build costs what reading its inputs costs.
The parts of the joined scripts are read from ``_static/`` after that copy, each once a
build and process (:class:`_Scripts`); a joined file is named by a digest of its content and written (to a file of the
process's own, renamed over it: pages are written by several processes with ``-j``) when
the first page using it is written.  A page that is not written again keeps linking the
file it was written with, which stays as long as some page of the output links it: after
each build the files no page links are deleted (:func:`_prune_scripts`, which reads again
only the pages whose size or time changed).

A cut font's name is a digest of the font it is cut from and the characters it keeps, so
the sheet, and the pages that preload its fonts, are complete before any font is cut.  The
fonts not yet in our cache folder (:mod:`zhiyuan.caches`, one file per name) are cut in a
fork of the build (:mod:`zhiyuan.side_process`), on the other core while Sphinx writes the
pages (*nice*: it yields to the build); at ``build-finished`` the build waits for it (a font
that cannot be cut is the warning ``page_assets.fonts``, naming it) and makes
``_static/fonts/`` hold exactly the sheet's fonts, writing a file only when its bytes
changed.  Where there is no ``fork`` they are cut in the build, when the sheet is made.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import importlib.util
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

from zhiyuan import caches, side_process, state
from zhiyuan.compat import installed, pydata_sphinx_theme
from zhiyuan.compat import sphinx as sphinx_compat
from zhiyuan.config import declare
from zhiyuan.theme.page_assets import css, fonts, js

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

#: The joined sheet, under ``_static/``.
BUNDLE = "zhiyuan.css"
#: Where the cut-down icon fonts go, under ``_static/``.
FONTS = "fonts"
#: Where the joined scripts go, under ``_static/``: ``<digest of the file>.js``.
SCRIPTS = "zhiyuan-js"

# per document: the class and node names of its doctree (words its HTML may hold)
_TABLE = "page_assets.words"
_CACHE = "page_assets"
# the joined scripts each page of the output links, as last seen (see _prune_scripts)
_SCRIPTS_SEEN = "page_assets_scripts.pickle"
_CUTS = "page_assets_fonts"  # in our caches folder: each cut font, named as in _static/fonts/
_CUTS_LOCK = "page_assets_fonts.lock"
_CUTTING = "_page_assets_cutting"  # on the builder: this build's side process cutting fonts, and its cuts
_NICE = 10  # the fonts are waited for only at the end: the pages come first

logger = logging.getLogger(__name__)

# Modules and packages whose Python writes HTML into our pages (tags and class names):
# the docutils and Sphinx writers, the toctree, the themes' page helpers, ablog's pages.
_HTML_WRITERS = (
    "docutils.nodes",
    "docutils.writers._html_base",
    "docutils.writers.html5_polyglot",
    "sphinx.addnodes",
    "sphinx.writers",
    "sphinx.builders.html",
    "sphinx.environment.adapters",
    "pydata_sphinx_theme",
    "sphinx_book_theme",
    "ablog",
    "sphinx_copybutton",
    "sphinx_design",
    "zhiyuan",
)
_SOURCE_SUFFIXES = {".py", ".html", ".js"}
# the distributions of those modules, whose versions key the cache
_DISTRIBUTIONS = (
    "docutils", "sphinx", "pydata-sphinx-theme", "sphinx-book-theme", "ablog", "sphinx-copybutton", "sphinx-design",
)


def _module_files(name: str) -> list[Path]:
    """The source files of module or package *name* (none if it is not installed)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    if spec is None or spec.origin is None:
        return []
    if spec.submodule_search_locations:
        return [
            path
            for location in spec.submodule_search_locations
            for path in sorted(Path(location).rglob("*"))
            if path.suffix in _SOURCE_SUFFIXES and path.is_file()
        ]
    return [Path(spec.origin)]


def _left_out(app: Sphinx, path: Path) -> bool:
    """Whether *path* is a script of ``page_assets_left_out``, by its file name: no page loads
    it, wherever its copy lies (the output's ``_static/``, the package that ships it)."""
    return path.suffix == ".js" and path.name in app.config.page_assets_left_out


def _vocabulary(app: Sphinx) -> set[str]:
    """Every word a page of this site may hold as a class or id (see the module docstring)."""
    files = [path for name in _HTML_WRITERS for path in _module_files(name)]
    theme = getattr(app.builder, "theme", None)
    folders = [Path(folder) for folder in (theme.get_theme_dirs() if theme else [])]
    folders += [Path(app.confdir, folder) for folder in app.config.templates_path]
    files += [path for folder in folders for path in sorted(folder.rglob("*.html"))]
    # the joined scripts are the others again, and old ones must not change the sheet
    files += sorted(path for path in Path(app.outdir, "_static").rglob("*.js")
                    if path.parent != Path(app.outdir, "_static", SCRIPTS))
    used: set[str] = set()
    for path in files:
        if _left_out(app, path):
            continue
        used |= css.words(path.read_text(encoding="utf-8", errors="replace"))
    for names in state.per_document(app.env, _TABLE).values():
        used.update(names)
    return used


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Record the class and node names of the document just read."""
    names = set()
    for node in doctree.findall(nodes.Element):
        names.add(node.tagname)
        names.update(node.get("classes", ()))
    state.per_document(app.env, _TABLE)[app.env.docname] = sorted(names)


def _sheets(app: Sphinx, css_files: list[Any]) -> list[str]:
    """The sheets to join: the theme's head sheets, then the local screen sheets of *css_files*
    (paths under the output folder, in order)."""
    joined = pydata_sphinx_theme.head_stylesheets(app) if pydata_sphinx_theme.active(app) else []
    for asset in css_files:
        filename = str(getattr(asset, "filename", ""))
        attributes = getattr(asset, "attributes", {})
        if (
            filename.startswith("_static/")
            and filename != f"_static/{BUNDLE}"
            and attributes.get("rel", "stylesheet") == "stylesheet"
            and attributes.get("media", "all") in ("all", "screen")
            and Path(app.outdir, filename).is_file()
        ):
            joined.append(filename)
    return joined


def _read(app: Sphinx, path: str) -> str | None:
    file = Path(app.outdir, path)
    return file.read_text(encoding="utf-8") if file.is_file() else None


_TEXT_FONTS = "_page_assets_text_fonts"


def cut_fonts_to_text(app: Sphinx, family_prefix: str, characters: Callable[[], set[int]]) -> None:
    """Have the joined sheet cut the fonts whose family starts with *family_prefix* to ``characters()``.

    For fonts that draw text the build knows in full (KaTeX's, for formulas rendered at
    build time); call at ``builder-inited``.  ``characters`` is called when the sheet is made.
    """
    app.__dict__.setdefault(_TEXT_FONTS, {})[family_prefix] = characters


_REWRITES = "_page_assets_rewrites"


def rewrite_sheet(app: Sphinx, key: str, rewrite: Callable[[str], str]) -> None:
    """Have the joined sheet pass through ``rewrite`` (its text in, its text out) once joined,
    before its fonts are cut; *key* names what the result depends on besides the sheets (the
    sheet is cached by what it is made of).  Call at ``builder-inited``."""
    app.__dict__.setdefault(_REWRITES, {})[key] = rewrite


def _rewrites(app: Sphinx) -> dict[str, Callable[[str], str]]:
    return dict(sorted(app.__dict__.get(_REWRITES, {}).items()))


def _text_fonts(app: Sphinx) -> dict[str, list[int]]:
    return {prefix: sorted(characters()) for prefix, characters in sorted(app.__dict__.get(_TEXT_FONTS, {}).items())}


@dataclass(frozen=True)
class _Cut:
    """A font of the sheet, cut from a font of the output's ``_static/`` to some characters."""

    #: the font it is cut from, under ``_static/``
    source: str
    codepoints: tuple[int, ...]


def _subset_fonts(app: Sphinx, bundle_css: str, text_fonts: dict[str, list[int]]) -> tuple[str, dict[str, _Cut]]:
    """*bundle_css* with its icon fonts (Font Awesome) cut to the glyphs it names and its text fonts
    (*text_fonts*: ``{family prefix: characters}``) to their characters, and what each of those
    fonts (``{path under _static: cut}``) is cut from.  A face left with no glyph is dropped.

    A cut font's name is a digest of its source and its characters, so the sheet is complete
    before any font is cut (:func:`_cut_fonts` cuts them)."""
    icons = css.icon_codepoints(bundle_css)
    cuts: dict[str, _Cut] = {}

    def replace(rule: str) -> str | None:
        family = css.font_family(rule)
        prefix = next((prefix for prefix in text_fonts if family.startswith(prefix)), None)
        if prefix is None and not family.startswith("Font Awesome"):
            return rule
        wanted = set(text_fonts[prefix]) if prefix is not None else icons
        urls = [url for url in css.font_face_urls(rule) if url.split("?")[0].endswith(".woff2")]
        source = Path(app.outdir, "_static", urls[0].split("?")[0]) if urls else None
        if source is None or not source.is_file():
            return rule
        data = source.read_bytes()
        codepoints = wanted & fonts.characters(data)
        if not codepoints:
            return None  # none of its glyphs is used
        digest = hashlib.sha256(data + repr((sorted(codepoints), fonts.VERSION)).encode()).hexdigest()[:16]
        name = f"{FONTS}/{source.stem}.{digest}.woff2"
        relative = source.relative_to(Path(app.outdir, "_static")).as_posix()
        cuts.setdefault(name, _Cut(relative, tuple(sorted(codepoints))))
        return css.with_source(rule, name)

    return css.map_font_faces(bundle_css, replace), cuts


def _cut_fonts(static: Path, cache: Path, cuts: dict[str, _Cut]) -> None:
    """Cut the fonts of *cuts* from the fonts in *static* (``_static/``) into *cache*, each
    file whole or not at all; an error names the font."""
    from zhiyuan.theme.page_assets import fonts  # fontTools' subsetter

    cache.mkdir(parents=True, exist_ok=True)
    for name, cut in sorted(cuts.items()):
        try:
            data = fonts.subset_woff2((static / cut.source).read_bytes(), cut.codepoints)
        except Exception as error:
            error.add_note(f"(_static/{name}, cut from _static/{cut.source})")
            raise
        target = cache / PurePosixPath(name).name
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(data)
        partial.replace(target)


def _report(problem: str) -> None:
    logger.warning("the fonts cut to the glyphs in use could not be made: %s", " ".join(problem.split("\n")),
                   type="page_assets", subtype="fonts")


def _start_cutting(app: Sphinx, cuts: dict[str, _Cut]) -> None:
    """Cut the fonts of *cuts* that are not in our cache folder yet, beside the build (where
    there is no fork: now); :func:`_on_build_finished` puts them in ``_static/fonts/``."""
    cache = caches.path(app.doctreedir, _CUTS)
    missing = {name: cut for name, cut in cuts.items() if not (cache / PurePosixPath(name).name).is_file()}
    job = None
    if missing:
        work = functools.partial(_cut_fonts, Path(app.outdir, "_static"), cache, missing)
        job = side_process.start_or_run(work, lock=caches.path(app.doctreedir, _CUTS_LOCK), nice=_NICE,
                                        failed=_report)
    setattr(app.builder, _CUTTING, (job, cuts))


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the fonts cut beside the build and say if that failed; make ``_static/fonts/``
    hold exactly the sheet's fonts (a file only written when its bytes changed), and our cache
    folder exactly theirs."""
    pending = getattr(app.builder, _CUTTING, None)
    if pending is None:
        return
    setattr(app.builder, _CUTTING, None)
    job, cuts = pending
    if job is not None:
        problem = side_process.finish(job)
        if problem and exception is None:
            _report(problem)
    cache = caches.path(app.doctreedir, _CUTS)
    static = Path(app.outdir, "_static")
    for name in sorted(cuts):
        cut = cache / PurePosixPath(name).name
        if cut.is_file():
            caches.write_if_changed(static / name, cut.read_bytes())
    for stale in sorted((static / FONTS).glob("*.woff2")):
        if f"{FONTS}/{stale.name}" not in cuts:
            stale.unlink()
    if cache.is_dir():
        kept = {PurePosixPath(name).name for name in cuts}
        for path in cache.iterdir():
            if path.name not in kept:
                path.unlink()


def _joined(
    app: Sphinx, sheets: list[str], texts: list[str], text_fonts: dict[str, list[int]]
) -> tuple[str, dict[str, _Cut]]:
    """The joined sheet of *sheets* (whose texts, imports inlined, are *texts*) and what its fonts
    are cut from (*text_fonts*: :func:`_text_fonts`)."""
    used = _vocabulary(app)
    # class names scripts build from parts (Bootstrap's `bs-${name}-auto`): kept by pattern
    names = {name for text in texts for name in css.words(text)}
    used |= {name for name in names if any(fnmatch.fnmatchcase(name, p) for p in app.config.page_assets_keep)}
    purged = [pattern.removeprefix("_static/") for pattern in app.config.page_assets_purge]
    parts = ['@charset "utf-8";']
    for path, text in zip(sheets, texts, strict=True):
        relative = path.removeprefix("_static/")
        if any(fnmatch.fnmatchcase(relative, pattern) for pattern in purged):
            text = css.purge(text, used)
        else:
            text = css.compact(text)
        parts.append(f"/* {relative} */\n{css.rebase_urls(text, path, f'_static/{BUNDLE}').strip()}")
    joined = "\n".join(parts) + "\n"
    for rewrite in _rewrites(app).values():
        joined = rewrite(joined)
    return _subset_fonts(app, joined, text_fonts)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _make_bundle(app: Sphinx, sheets: list[str]) -> None:
    """Write ``_static/zhiyuan.css``, joined from *sheets*, or as cached by content, and start
    cutting its fonts."""
    texts = [css.inline_imports(_read(app, path) or "", path, lambda other: _read(app, other)) for path in sheets]
    # what the vocabulary is made of, but for our own code (its change empties the cache folder)
    words = {word for names in state.per_document(app.env, _TABLE).values() for word in names}
    templates = [
        path.read_text(encoding="utf-8", errors="replace")
        for folder in app.config.templates_path
        for path in sorted(Path(app.confdir, folder).rglob("*.html"))
    ]
    versions = [installed(name) for name in _DISTRIBUTIONS]
    text_fonts = _text_fonts(app)
    inputs = (sheets, texts, sorted(words), templates, versions, fonts.VERSION, app.config.page_assets_purge,
              app.config.page_assets_keep, sorted(app.config.page_assets_left_out), text_fonts, list(_rewrites(app)))
    key = hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()[:20]
    cache = caches.path(app.doctreedir, _CACHE) / f"{key}.pickle"
    made = caches.read(cache)
    if made is None:
        made = _joined(app, sheets, texts, text_fonts)
        caches.write(cache, made)
    bundle_css, cuts = made
    static = Path(app.outdir, "_static")
    _write_if_changed(static / BUNDLE, bundle_css.encode("utf-8"))
    faces = css.font_faces(bundle_css)
    app.builder._page_assets_font_uses = [
        (classes, faces[face])
        for prefix in text_fonts
        for classes, face in css.font_uses(bundle_css, prefix)
        if face in faces
    ]
    _start_cutting(app, cuts)


_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def _body_classes(body: str) -> set[str]:
    """The class names of the elements in a page's *body* (its HTML)."""
    return {name for match in _CLASS_ATTRIBUTE.finditer(body) for name in match.group(1).split()}


def _font_preloads(app: Sphinx, classes: set[str]) -> list[str]:
    """The text fonts (under ``_static/``) HTML with *classes* draws with: fetched with the
    page, not after its first layout, so its formulas do not move when their fonts arrive."""
    uses = getattr(app.builder, "_page_assets_font_uses", None) or []
    return sorted({url for needed, url in uses if needed <= classes})


def _needed(app: Sphinx, script: Any, classes: set[str]) -> bool:
    """Whether a page whose body has *classes* needs *script*: none of ``page_assets_left_out``;
    scripts in ``page_assets_scripts_for`` only where the body has an element of one of their
    classes (the copy button where there is code)."""
    filename = posixpath.basename(str(getattr(script, "filename", "") or ""))
    if filename in app.config.page_assets_left_out:
        return False
    needed_classes = app.config.page_assets_scripts_for.get(filename)
    return needed_classes is None or not classes.isdisjoint(needed_classes.split())


# -- Scripts: one file per page ------------------------------------------------------


def _write_once(path: Path, data: bytes) -> None:
    """Make *path* hold *data*, unless it does: through a file of this process's own, renamed
    over it, so a page written in another process at the same time reads either nothing or
    the whole file (both write the same bytes)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class _Scripts:
    """This build's joined scripts: each part read once from the output folder, each joined
    file written once by each process that writes a page using it (made again after the
    static files are copied, so a build reads what it copied)."""

    def __init__(self, outdir: str | Path) -> None:
        self.outdir = Path(outdir)
        self._texts: dict[str, str | None] = {}
        self._files: dict[tuple[str, ...], str] = {}

    def text(self, filename: str) -> str | None:
        """The text of the script *filename* (under the output folder); None if it is no file
        or not UTF-8 (then it is not joined)."""
        if filename not in self._texts:
            try:
                self._texts[filename] = Path(self.outdir, filename).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[filename] = None
        return self._texts[filename]

    def joined(self, filenames: tuple[str, ...]) -> str:
        """The joined file of the scripts *filenames* (read before with :meth:`text`), written
        if needed: its path under the output folder."""
        if filenames not in self._files:
            parts = [(name.removeprefix("_static/"), self.text(name) or "") for name in filenames]
            data = js.join(parts).encode("utf-8")
            path = f"_static/{SCRIPTS}/{hashlib.sha256(data).hexdigest()[:16]}.js"
            _write_once(self.outdir / path, data)
            self._files[filenames] = path
        return self._files[filenames]


def _data_attributes(script: Any) -> dict[str, str] | None:
    """The ``data-*`` attributes of *script*, a deferred classic local script with no other
    attribute; None for any other script."""
    attributes = getattr(script, "attributes", None)
    filename = getattr(script, "filename", None)
    if not isinstance(attributes, dict) or not isinstance(filename, str) or not filename.startswith("_static/"):
        return None
    if attributes.get("defer") is None or not js.joinable_name(filename):
        return None
    data = {}
    for key, value in attributes.items():
        if value is None or key == "defer":
            continue
        if not key.startswith("data-"):
            return None  # async, type, integrity, id…: not ours to merge
        data[key] = value
    return data


def _in_order(script: Any) -> bool:
    """Whether *script* runs in the order of the deferred scripts (deferred, or a module), so
    that joining scripts across it would change what runs first."""
    attributes = getattr(script, "attributes", None)
    if not isinstance(attributes, dict) or not getattr(script, "filename", None) or attributes.get("body"):
        return False  # inline: runs while the page is parsed, before every deferred script
    if attributes.get("async") is not None:
        return False
    return attributes.get("defer") is not None or attributes.get("type") == "module"


def _join_scripts(app: Sphinx, scripts: list[Any]) -> list[Any]:
    """*scripts* (a page's, deferred) with each run of deferred classic local scripts joined into
    one file, whose tag carries their ``data-*`` attributes.

    Scripts keep their order (by priority, as Sphinx orders them): a run ends at a script that
    runs in that order but cannot join (a module, another site's script, one with other
    attributes), and at a script setting a ``data-*`` attribute the run already sets to another
    value (its ``document.currentScript`` would read the wrong one), which stays a script of its
    own.  A run of one script stays as it is.
    """
    joiner: _Scripts = app.builder._page_assets_scripts
    ordered = sorted(scripts, key=lambda script: getattr(script, "priority", 500))
    out: list[Any] = []
    run: list[Any] = []
    data: dict[str, str] = {}
    place = 0

    def end_run() -> None:
        if len(run) > 1:
            joined = joiner.joined(tuple(str(script.filename) for script in run))
            out[place] = sphinx_compat.script_asset(joined, priority=run[0].priority, defer="defer", **data)
        run.clear()
        data.clear()

    for script in ordered:
        attributes = _data_attributes(script)
        if (attributes is not None and joiner.text(str(script.filename)) is not None
                and all(data.get(key, value) == value for key, value in attributes.items())):
            if not run:
                place = len(out)
                out.append(script)
            run.append(script)
            data.update(attributes)
            continue
        if _in_order(script):
            end_run()
        out.append(script)
    end_run()
    return out


#: The type of a script held until the page's first paint: one the browser neither fetches nor
#: runs; ``strict_csp/head.js`` puts each back as it was once the page is drawn.
AFTER_PAINT = "text/x-after-paint"


def _held(scripts: list[Any]) -> list[Any]:
    """*scripts* (a page's, deferred) held until the page's first paint, if all that run in the
    deferred order can be: classic scripts from a file.  Otherwise as they are: a module left
    to run before held scripts would change the order."""
    in_order = [_in_order(script) for script in scripts]
    if not any(in_order) or any(script.attributes.get("type") not in (None, "text/javascript")
                                for script, ordered in zip(scripts, in_order) if ordered):
        return scripts
    return [
        sphinx_compat.script_asset(str(script.filename), priority=script.priority,
                                   **{**script.attributes, "type": AFTER_PAINT})
        if ordered else script
        for script, ordered in zip(scripts, in_order)
    ]


def _book_layout(app: Sphinx) -> bool:
    """Whether pages are rendered with portal_theme's layout, which leaves the theme's
    end-of-body script tags out when this part has taken the scripts into the page's list."""
    if "zhiyuan.theme.portal" not in app.extensions:
        return False
    from zhiyuan.theme.portal import book_layout

    return book_layout(app)


def _theme_scripts(app: Sphinx, scripts: list[Any]) -> list[Any]:
    """The theme's end-of-body scripts, as deferred assets that come after *scripts*."""
    names = app.builder._page_assets_theme_scripts
    last = max((getattr(script, "priority", 500) for script in scripts), default=500)
    return [sphinx_compat.script_asset(name, priority=last, defer="defer") for name in names]


_JOINED_LINK = re.compile(rb"_static/" + SCRIPTS.encode("ascii") + rb"/([0-9a-f]{16}\.js)")


def _used_scripts(page: bytes) -> frozenset[str]:
    """The joined scripts (file names) the HTML *page* links."""
    return frozenset(match.decode("ascii") for match in _JOINED_LINK.findall(page))


def _prune_scripts(app: Sphinx, exception: Exception | None) -> None:
    """After a build: delete the joined scripts no page of the output links any more.

    A page links the joined files of the build that wrote it, and most builds write few pages:
    what is in use is read from the pages themselves, each page read again only when its size
    or time changed since the last build (the rest is remembered in our cache folder).
    """
    folder = Path(app.outdir, "_static", SCRIPTS)
    if exception is not None or app.builder.format != "html" or not folder.is_dir():
        return
    record = caches.path(app.doctreedir, _SCRIPTS_SEEN)
    known: dict[str, tuple[tuple[int, int], frozenset[str]]] = caches.read(record) or {}
    seen: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
    static = Path(app.outdir, "_static")
    for directory, folders, files in os.walk(app.outdir):
        if Path(directory) == Path(app.outdir):
            folders[:] = [name for name in folders if Path(directory, name) != static]
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, app.outdir)
            try:
                found = os.stat(path)
                stamp = (found.st_size, found.st_mtime_ns)
                entry = known.get(relative)
                if entry is None or entry[0] != stamp:
                    entry = (stamp, _used_scripts(Path(path).read_bytes()))
            except OSError:
                continue
            seen[relative] = entry
    used = {name for _, names in seen.values() for name in names}
    for file in folder.iterdir():
        if file.name not in used and file.is_file():
            file.unlink()
    if seen != known:
        caches.write(record, seen)


def _make_sheet(app: Sphinx) -> None:
    """Once the static files are in ``_static/``: make the joined sheet and its fonts; read the
    scripts to join afresh."""
    if pydata_sphinx_theme.active(app):
        pydata_sphinx_theme.write_pygments_css(app)  # before it is read into the sheet
    sheets = _sheets(app, sphinx_compat.stylesheets(app.builder))
    _make_bundle(app, sheets)
    app.builder._page_assets_joined = set(sheets)
    app.builder._page_assets_scripts = _Scripts(app.outdir)


def _on_builder_inited(app: Sphinx) -> None:
    """Link the joined sheet from every page; make it each time the static files are copied.
    Take the theme's end-of-body scripts into the pages' scripts."""
    app.builder._page_assets_joined = None
    app.builder._page_assets_scripts = None
    app.builder._page_assets_theme_scripts = []
    if app.builder.format != "html" or not app.config.page_assets_bundle or not sphinx_compat.active(app):
        return
    app.add_css_file(BUNDLE, priority=0)
    if pydata_sphinx_theme.active(app) and _book_layout(app):
        app.builder._page_assets_theme_scripts = pydata_sphinx_theme.body_scripts(app)
    sphinx_compat.after_copying_assets(app.builder, lambda: _make_sheet(app))


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """Give the page the joined sheet instead of the sheets in it, the scripts it needs deferred
    (the theme's end-of-body ones last) and joined, and the fonts its body draws with."""
    joined = app.builder._page_assets_joined
    if joined is None:
        return
    context["css_files"] = [
        asset for asset in context.get("css_files", []) if str(getattr(asset, "filename", "")) not in joined
    ]
    body = context.get("body") or ""
    classes = _body_classes(body)
    scripts = list(context.get("script_files", []))
    if app.builder._page_assets_theme_scripts:
        scripts += _theme_scripts(app, scripts)
        context["page_assets_theme_scripts"] = True  # the layout leaves its own tags out
    scripts = [sphinx_compat.deferred(script) for script in scripts if _needed(app, script, classes)]
    if app.config.page_assets_join_scripts and app.builder._page_assets_scripts is not None:
        scripts = _join_scripts(app, scripts)
    if app.config.page_assets_after_paint and "strict_csp" in context:
        scripts = _held(scripts)
    context["script_files"] = scripts
    context["page_assets_bundle"] = True
    pathto = context.get("pathto")
    if pathto is not None:
        context["font_preloads"] = [pathto(f"_static/{url}", 1) for url in _font_preloads(app, classes)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("zhiyuan.state")
    declare(app, "zhiyuan.theme.page_assets")
    app.connect("doctree-read", _on_doctree_read)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("build-finished", _on_build_finished)
    # after every handler that adds CSS or scripts to the page (strict_csp runs at 900)
    app.connect("html-page-context", _on_html_page_context, priority=950)
    app.connect("build-finished", _prune_scripts)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
