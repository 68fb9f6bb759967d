"""The SVGs drawn at build time, kept beside the sources and committed with the posts.

Drawing a Mermaid diagram needs Chromium; a plot runs its post's code in a fresh interpreter
(NumPy and Matplotlib imported, a second or more each).  A build without our cache folder
(Read the Docs', CI's, a first build in a clone) need not pay for a figure that has not
changed: the parts that draw them (:mod:`zhiyuan.pages.diagrams` for Mermaid,
:mod:`zhiyuan.pages.plots`) keep every SVG the site shows in one folder of the sources,
``diagrams_committed`` (the site's ``docs/_diagrams/``), committed with the post.

A file has one name in our cache folder, in the committed folder and in ``_images/``: its
kind and a digest of everything it is drawn from (``mermaid-<digest>.svg``,
``plot-<digest>-<n>.svg``), so a committed file is the right one for as long as a page asks
for its name, and a changed figure asks for a new one.

* :func:`restore`: before drawing a figure not in its cache, a part copies the committed
  files of that name into the cache; found there, the figure is not drawn.
* :func:`keep`: each file of a figure the build shows, once in the cache (drawn, restored, or
  there already), is written to the committed folder unless it is there: the file to commit.
* :func:`prune`: at the end of a build, the files of a kind that no page shows any more are
  deleted from the committed folder and from ``_images/`` (Sphinx never deletes an image),
  so an incremental build leaves what a clean one writes.

``tests/site/test_diagrams.py`` fails while the committed files are not exactly those the site
shows.  The setting is declared by :mod:`zhiyuan.pages.diagrams`, which the plots part loads.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def folder(env: BuildEnvironment) -> Path | None:
    """The folder of the sources where the drawn SVGs are kept (``diagrams_committed``), or None."""
    name = env.config.diagrams_committed
    return Path(env.srcdir, name) if name else None


def restore(env: BuildEnvironment, cache: Path, pattern: str) -> list[Path]:
    """Copy the committed files whose names match *pattern* (a glob) into *cache*; the copies."""
    kept = folder(env)
    if kept is None:
        return []
    copies = []
    for path in sorted(kept.glob(pattern)):
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, cache / path.name)
        copies.append(cache / path.name)
    return copies


def keep(env: BuildEnvironment, files: Iterable[Path]) -> None:
    """Write each of *files* (of a figure shown, in a cache folder) to the committed folder under
    its own name, unless it is there."""
    kept = folder(env)
    if kept is None:
        return
    for file in files:
        if not (kept / file.name).is_file():
            kept.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, kept / file.name)


def prune(app: Sphinx, pattern: str, shown: set[str]) -> None:
    """Delete the files whose names match *pattern* but not one of *shown* from ``_images/`` and
    from the committed folder: figures no page shows any more."""
    images = Path(app.outdir, app.builder.imagedir)
    for place in (images, folder(app.env)):
        if place is None:
            continue
        for path in place.glob(pattern):
            if path.name not in shown:
                path.unlink()
