"""The live preview: sphinx-autobuild, each rebuild forked from a process that imported the site's code once.

    python _ext/zhiyuan/tools/preview.py [sphinx-autobuild arguments ...]

``nox -s serve`` runs this instead of ``sphinx-autobuild``.  sphinx-autobuild starts every
rebuild as a new ``python -m sphinx build``: a new interpreter that imports Sphinx, docutils,
MyST, ablog, the themes and our package before it reads one file — most of a second, on every
save.  Here this process imports them once, at start, and each build runs in a fork of it
with the arguments sphinx-autobuild would have given the new interpreter: the first build in a
fork of this process, the later ones in the worker process sphinx-autobuild forks from it for
each rebuild (and discards after it).  Either is a fresh copy of a process that never built
anything, so no build sees another's state (docutils' registries, module-level caches), as
with a new interpreter.  Once a file of our package has
changed (someone works on _ext/ with the preview open), the imported code is stale, and that
rebuild and every later one starts a new interpreter, as sphinx-autobuild does.

The fork replaces sphinx-autobuild's ``subprocess.run`` of its Sphinx command only (the
``--pre-build`` and ``--post-build`` commands run as before), in the release this was written
for (:mod:`zhiyuan.compat.sphinx_autobuild`, where the patch lives); with any other release,
or where there is no ``fork``, the preview runs sphinx-autobuild unchanged.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pkgutil
import subprocess
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, when run as a script

from zhiyuan.compat import sphinx_autobuild as sphinx_autobuild_compat

_SPHINX_COMMAND = sphinx_autobuild_compat.SPHINX_COMMAND


def _import_site_code(source: Path) -> None:
    """Import what a build of *source* imports: Sphinx's HTML builder, the extensions and theme
    named in its conf.py, and every module of our package but its tools."""
    for name in ("sphinx.cmd.build", "sphinx.application", "sphinx.builders.html"):
        importlib.import_module(name)
    conf = source / "conf.py"
    namespace: dict = {"__file__": str(conf), "__name__": "conf"}
    exec(compile(conf.read_bytes(), str(conf), "exec"), namespace)  # noqa: S102  (as Sphinx reads it)
    names = [*namespace.get("extensions", []), namespace.get("html_theme", "")]
    package = importlib.import_module("zhiyuan")
    names += [module.name for module in pkgutil.walk_packages(package.__path__, "zhiyuan.")
              if ".tools" not in module.name]
    for name in filter(None, names):
        with contextlib.suppress(Exception):  # the build itself will say what is wrong
            importlib.import_module(name)


def _package_files() -> dict[str, int]:
    """Modification times of our package's files, by path."""
    root = Path(importlib.import_module("zhiyuan").__file__).parent
    return {str(path): path.stat().st_mtime_ns for path in root.rglob("*.py") if "__pycache__" not in path.parts}


_imported: dict[str, int] = {}  # _package_files() when the site's code was imported
_warm_process = [0]  # the id of the process that imported it


def _build_here(arguments: list[str]) -> int:
    """One build in this process, which ends after it (a worker sphinx-autobuild forked)."""
    from sphinx.cmd.build import build_main

    from zhiyuan import collector

    collector.hold()
    return build_main(arguments)


def _build_in_fork(arguments: list[str]) -> int:
    """``sphinx-build`` *arguments* in a fork of this process; its exit status.

    The fork sends back the names of the modules it had imported when it ended, and this
    process imports those it lacks: what a build imports beyond the extensions' top modules
    (parsers, transforms, builders' helpers) is then imported once too, by the first build,
    for the forks of later ones.
    """
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, then leave without running the parent's exit handlers
        os.close(reader)
        status = 1
        try:
            from sphinx.cmd.build import build_main

            from zhiyuan import collector

            collector.hold()  # this fork runs one build and ends
            status = build_main(arguments)
            with os.fdopen(writer, "w") as modules:
                modules.write("\n".join(name for name, module in list(sys.modules.items()) if module is not None))
        except BaseException:  # noqa: BLE001  (reported as a failed build, as a crashed interpreter would be)
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as modules:
        imported = modules.read().split()
    _, wait_status = os.waitpid(pid, 0)
    for name in imported:
        if name not in sys.modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    return os.waitstatus_to_exitcode(wait_status)


class _Subprocess:
    """What sphinx-autobuild's build module calls ``subprocess``: Sphinx's command is forked."""

    CalledProcessError = subprocess.CalledProcessError

    @staticmethod
    def run(command: list[str], *args, check: bool = False, **kwargs) -> subprocess.CompletedProcess:
        fresh = command[:1] != [sys.executable] or command[1:4] != _SPHINX_COMMAND or _package_files() != _imported
        if fresh:
            return subprocess.run(command, *args, check=check, **kwargs)
        if os.getpid() == _warm_process[0]:
            status = _build_in_fork(command[4:])
        else:  # a worker sphinx-autobuild forked for this one build, from the warm process: build here
            status = _build_here(command[4:])
        if check and status:
            raise subprocess.CalledProcessError(status, command)
        return subprocess.CompletedProcess(command, status)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    source = sphinx_autobuild_compat.source_dir(arguments)
    if hasattr(os, "fork") and sphinx_autobuild_compat.tested() and source is not None:
        _import_site_code(source)
        _imported.update(_package_files())
        _warm_process[0] = os.getpid()
        gc.freeze()  # what is imported stays out of the collector's walks, so forks share its memory pages
        sphinx_autobuild_compat.route_commands(_Subprocess)
    else:
        print(f"preview: sphinx-autobuild other than {sphinx_autobuild_compat.PATCH.tested}, or no fork: "
              "every rebuild starts a new Python", file=sys.stderr)
    sphinx_autobuild_compat.run(arguments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
