"""sphinx-autobuild: what the live preview (``tools/preview.py``) reaches into, written for 2025.8.25.

sphinx-autobuild runs each rebuild as ``subprocess.run([sys.executable, "-m", "sphinx",
"build", …])`` from its ``build`` module, a new interpreter that imports Sphinx and every
extension before it reads a file.  The preview runs those builds in a warm process instead,
by replacing the name ``subprocess`` in that module (:func:`route_commands`), and reads the
source folder from the command line with sphinx-autobuild's own parser (:func:`source_dir`).
Neither is public.  Outside :data:`PATCH`'s versions (:func:`tested`) the preview runs
sphinx-autobuild as it is: every rebuild a new interpreter, slower, never wrong.

The preview is a command, not a Sphinx extension, so :func:`tested` checks the version
without a Sphinx application (and says nothing; the preview prints why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet

from zhiyuan.compat import Patch, installed

__all__ = ["PATCH", "SPHINX_COMMAND", "route_commands", "run", "source_dir", "tested"]

PATCH = Patch(
    "sphinx-autobuild", "==2025.8.25",
    "every rebuild of the live preview starts a new interpreter, which imports Sphinx and every extension",
)

#: What that release runs after ``sys.executable`` to build.
SPHINX_COMMAND = ["-m", "sphinx", "build"]


def tested() -> bool:
    """Whether the installed sphinx-autobuild is a release this module was written for."""
    found = installed(PATCH.package)
    return found is not None and found in SpecifierSet(PATCH.tested)


def source_dir(arguments: list[str]) -> Path | None:
    """The source folder among sphinx-autobuild's command-line *arguments*, or None."""
    from sphinx_autobuild.__main__ import _parse_args

    try:
        options, _ = _parse_args(list(arguments))
    except SystemExit:
        return None
    return Path(options.sourcedir)


def route_commands(subprocess_like: Any) -> None:
    """Have sphinx-autobuild's ``build`` module run its commands through *subprocess_like*
    (an object with ``run`` and ``CalledProcessError``, as the ``subprocess`` module has)."""
    import sphinx_autobuild.build

    sphinx_autobuild.build.subprocess = subprocess_like


def run(arguments: list[str]) -> None:
    """Run sphinx-autobuild with its command-line *arguments* in this process (its ``main``)."""
    from sphinx_autobuild.__main__ import main

    main(arguments)
