"""Plots computed at build time by the code shown beside them.

````markdown
```{plot}
:alt: 替代文字
:caption: 图的标题
:name: fig-label

import numpy as np
import matplotlib.pyplot as plt
...
```
````

shows the code, runs it while the post is read, and shows each Matplotlib figure it leaves
open as an SVG image.  The options are those of Matplotlib's own ``plot`` directive
(``matplotlib.sphinxext.plot_directive``) that apply to code in the fence, plus ``:name:``
for ``{numref}``; Matplotlib's directive itself cannot run in MyST (it hands its output back
as reStructuredText through ``state_machine.insert_input``, which MyST-Parser's state
machine does not implement).  The figure is an image: :mod:`zhiyuan.pages.figures` numbers
its caption, requires its alt text, sizes it, loads it lazily and lets it zoom.

* **The code runs as the article tests run it** (``tests/articles.py`` runs each plot's code
  as a script too): in a fresh interpreter in an empty folder, stdin closed, ``breakpoint()``
  off, a fixed hash seed, with Matplotlib's non-interactive ``agg`` backend and the settings
  below.  An exception is a warning naming the file and line (``plots.error``), and no figure.
* **Deterministic files.**  A fixed ``svg.hashsalt`` (ids of clip paths and glyphs), glyphs
  as paths (readers need no CJK font), no date in the file.  Code drawing random numbers
  seeds its generator, as every block of an article does.
* **Chinese labels** in ``plots_font`` (Noto Sans CJK SC, Debian ``fonts-noto-cjk``).  A font
  that is not installed, or a label with a character it lacks (drawn as a box), is a warning
  naming the file and line (``plots.font``).
* **Cached by content, and committed**: the SVG files are named by a digest of the code, the
  settings and Matplotlib's version (``plot-<digest>-<n>.svg``), in our cache folder; a post
  read again with an unchanged plot does not run its code.  They are also kept beside the
  sources with the Mermaid diagrams' (``diagrams_committed``, the site's ``docs/_diagrams/``;
  :mod:`zhiyuan.pages.diagrams.committed`), committed with the post: a build without our cache
  folder (Read the Docs', CI's) that finds a plot's files there runs no code; a new or changed
  plot is run and its files written there to commit; those of a plot no page shows any more
  are deleted at the end of the build.  The article tests still run every plot's code.
* **Drawn while Sphinx reads**: before the changed posts are read (``env-before-read-docs``)
  their plots neither in the cache nor committed are found with MyST's own parser and
  started, as many at once as the machine has cores; the directive waits for its plot's
  result (a plot whose code the parser saw differently is drawn by the directive itself).
  Not with parallel reading, whose forked processes cannot wait on ours.
* **Dark mode**: the image has the class ``zy-plot``, which gets a light card in dark mode
  (``zhiyuan-diagrams.css``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from zhiyuan import caches, config
from zhiyuan.compat import myst_parser as myst_compat
from zhiyuan.pages.diagrams import committed

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: the class of every plot's image
PLOT_CLASS = "zy-plot"
_CACHE = "plots"
# Matplotlib's warning for a character its fonts lack
_MISSING_GLYPH = re.compile(r"Glyph \d+ \((.*)\) missing from font")

#: plots whose code this process ran, and how many of them before their post was read (tests
#: read it: an unchanged plot does not run again)
ran = {"plots": 0, "ahead": 0}


def rcparams(font: str) -> dict[str, Any]:
    """Matplotlib's settings for every plot: deterministic SVG, Chinese labels in *font*."""
    return {
        "svg.hashsalt": "zhiyuan",
        "svg.fonttype": "path",
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"],
        "axes.unicode_minus": False,  # U+2212 is not in every CJK font
        "figure.figsize": [6.4, 3.6],
        "savefig.bbox": "tight",
    }


def font_problem(font: str) -> str | None:
    """Why *font* cannot draw the plots' labels, or None."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
    except ValueError:
        return (f"the plot font {font!r} is not installed (Debian: apt-get install fonts-noto-cjk): "
                "Chinese labels would be drawn as boxes")
    return None


# Run in a fresh interpreter in an empty folder, as tests/articles.py runs an article's
# blocks: the article's code, then each figure it left open saved as an SVG without a date.
_RUNNER = """
import json, sys, warnings
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
rc, out, stem, source = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
matplotlib.rcParams.update(rc)
warnings.simplefilter("always")
with open("plot.py", encoding="utf-8") as file:
    code = compile(file.read(), source, "exec")
exec(code, {"__name__": "__main__", "__file__": source})
for number, fignum in enumerate(plt.get_fignums(), start=1):
    plt.figure(fignum).savefig(f"{out}/{stem}-{number}.svg", format="svg", metadata={"Date": None})
"""


def plot_key(code: str, rc: dict[str, Any]) -> str:
    """The digest naming a plot's files: its code, its settings and Matplotlib's version."""
    import matplotlib

    text = json.dumps([code, rc, matplotlib.__version__], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _pattern(key: str) -> str:
    """The files of the plot *key*: ``plot-<key>-<n>.svg``, n from 1, a file per figure."""
    return f"plot-{key}-*.svg"


def _cached(folder: Path, key: str) -> list[Path]:
    return sorted(folder.glob(_pattern(key)), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _ready(env: BuildEnvironment, folder: Path, key: str) -> list[Path]:
    """The files of the plot *key* in the cache *folder*, copied there from the committed folder
    if they are not (none: the plot's code must run)."""
    files = _cached(folder, key)
    if not files and committed.restore(env, folder, _pattern(key)):
        files = _cached(folder, key)
    return files


def draw(code: str, source: str, rc: dict[str, Any], out: Path, key: str) -> tuple[list[Path], list[str], str | None]:
    """Run *code* (from the file named *source*) and save each figure it leaves open as
    ``out/plot-<key>-<n>.svg``.  Return the files, the characters the fonts lacked, and the error."""
    env = {**os.environ, "MPLBACKEND": "agg", "PYTHONBREAKPOINT": "0", "PYTHONHASHSEED": "0",
           "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "plot.py").write_text(code, encoding="utf-8")
        try:
            done = subprocess.run(
                [sys.executable, "-c", _RUNNER, json.dumps(rc), str(out), f"plot-{key}", source],
                check=False, cwd=folder, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=300,
            )
        except subprocess.TimeoutExpired:
            return [], [], "it ran for more than 300 s"
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        return [], [], lines[-1] if lines else f"exit status {done.returncode}"
    missing = sorted({m.group(1) for m in _MISSING_GLYPH.finditer(stderr)})
    return _cached(out, key), missing, None


class PlotDirective(SphinxDirective):
    """```` ```{plot} ```` — the code, then the figures it draws."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "alt": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
        "hide-source": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        code = "\n".join(self.content)
        location = (self.env.docname, self.lineno)
        font = self.config.plots_font
        rc = _settings(self.config)
        key = plot_key(code, rc)
        folder = caches.path(self.env.doctreedir, _CACHE)
        folder.mkdir(parents=True, exist_ok=True)
        ahead = _drawing_ahead.get(self.env, {}).pop(key, None)
        files = [] if ahead is not None else _ready(self.env, folder, key)
        result: list[nodes.Node] = []
        if "hide-source" not in self.options:
            block = nodes.literal_block(code, code, language="python", classes=["zy-plot-source"])
            self.set_source_info(block)
            result.append(block)
        if not files:
            problem = font_problem(font)
            if problem:
                logger.warning("%s", problem, type="plots", subtype="font", location=location)
            if ahead is not None:  # started before the post was read
                files, missing, error = ahead.result()
                ran["ahead"] += 1
            else:
                source = str(self.env.doc2path(self.env.docname, base=False))
                files, missing, error = draw(code, source, rc, folder, key)
            ran["plots"] += 1
            if error:
                logger.warning("the plot's code failed: %s", error, type="plots", subtype="error", location=location)
                return result
            if missing and not problem:
                logger.warning("the plot font %r has no glyph for %s: they are drawn as boxes", font,
                               " ".join(missing), type="plots", subtype="font", location=location)
        committed.keep(self.env, files)  # drawn just now, or missing there: the files to commit
        for number, file in enumerate(files):
            # relative to the source folder ("/…"), as the cache folder may lie outside it
            uri = "/" + os.path.relpath(file, self.env.srcdir).replace(os.sep, "/")
            image = nodes.image(uri=uri, alt=self.options.get("alt", ""))
            image["classes"] += [PLOT_CLASS, *self.options.get("class", [])]
            self.set_source_info(image)
            if number == 0 and "caption" in self.options:
                figure = nodes.figure("", image)
                self.set_source_info(figure)
                caption_nodes, _messages = self.parse_inline(self.options["caption"], lineno=self.lineno)
                caption = nodes.caption(self.options["caption"], "", *caption_nodes)
                self.set_source_info(caption)
                figure += caption
                self.add_name(figure)
                result.append(figure)
            else:
                result.append(image)
        return result


def _settings(config: Any) -> dict[str, Any]:
    return {**rcparams(config.plots_font), **config.plots_rcparams}


# per environment: the plots being drawn ahead of reading, by key, and who draws them
_drawing_ahead: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, Future]] = weakref.WeakKeyDictionary()
_pools: weakref.WeakKeyDictionary[BuildEnvironment, ThreadPoolExecutor] = weakref.WeakKeyDictionary()


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Start drawing the plots of the posts about to be read that are neither in the cache nor
    committed, each in its own process, while Sphinx reads: a clean build does not wait for
    them one by one."""
    if app.parallel > 1:  # documents are read in forked processes, which cannot wait on ours
        return
    parser = myst_compat.block_parser(app)
    if parser is None:
        return
    rc = _settings(app.config)
    folder = caches.path(env.doctreedir, _CACHE)
    jobs: dict[str, tuple[str, str]] = {}
    for docname in sorted(docnames):
        path = env.doc2path(docname)
        if path.suffix != ".md":
            continue
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        if "{plot}" not in text:
            continue
        for code in myst_compat.directive_bodies(parser, text, "plot", PlotDirective):
            key = plot_key(code, rc)
            if key not in jobs and not _ready(env, folder, key):
                jobs[key] = (code, str(env.doc2path(docname, base=False)))
    if not jobs:
        return
    folder.mkdir(parents=True, exist_ok=True)
    pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1), thread_name_prefix="plots")
    _pools[env] = pool
    pending = _drawing_ahead.setdefault(env, {})
    for key, (code, source) in jobs.items():
        pending[key] = pool.submit(draw, code, source, rc, folder, key)


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Every post is read: plots drawn ahead that no directive asked for (a post whose plot
    changed while it was read) are not waited for."""
    pool = _pools.pop(env, None)
    _drawing_ahead.pop(env, None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Delete the plot files in ``_images/`` that no page shows any more (Sphinx copies images
    but never deletes them), so an incremental build leaves what a clean one writes; and those
    of ``diagrams_committed``, so a changed or deleted plot leaves no file behind to commit
    (:func:`committed.prune`)."""
    if exception is not None or app.builder.format != "html":
        return
    shown = {name for _docnames, name in app.env.images.values()}
    committed.prune(app, "plot-*.svg", shown)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.pages.figures")
    app.setup_extension("zhiyuan.pages.diagrams")  # its sheet: the dark-mode card
    config.declare(app, __name__)
    app.add_directive("plot", PlotDirective)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    app.connect("env-updated", _on_env_updated)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
