"""Build the site in a spare slot; publish it only if the build succeeded.

    python _ext/zhiyuan/tools/staged_build.py SOURCEDIR OUTDIR DOCTREEDIR [sphinx-build options ...]

``nox -s build`` runs this instead of ``sphinx-build`` so that a failed build
(a warning under ``-W``, an exception, Ctrl-C) never leaves a half-written or
empty site in OUTDIR.

Two slots, both plain directories on the same file system: the published one
(OUTDIR and DOCTREEDIR) and a spare one (``.<OUTDIR name>.staging/html`` and
``…/doctrees`` beside OUTDIR).  Sphinx always builds in the spare slot, so every
build runs at the same paths, and it builds incrementally there because the
spare slot holds what is published: before the build it is brought level with the
published slot by copying only the files whose size or modification time differ
(and deleting those the published slot does not have), which after the last
successful build is nothing.  On success the two slots change places (one
``rename`` each for the HTML and the doctrees, an atomic exchange where Linux
offers one), and the slot that was published is brought level with the new one
at once — copying what this build changed — so the next build finds its spare
slot ready.  After a failure OUTDIR and DOCTREEDIR are untouched and the failed
output stays in the spare slot for inspection, until the next build levels it.

Hard links would make levelling free, but Sphinx writes its pages, pickles and
copied static files by opening the existing file for writing, which would write
through a link into the published site while the build runs.  Copies it is, and
they keep each file's modification time, which Sphinx's incremental build reads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, when run as a script

from zhiyuan import collector  # noqa: E402  (plain Python: no Sphinx yet)

_RENAME_EXCHANGE = 2  # linux/fs.h: swap the two names atomically
_AT_FDCWD = -100
_MARK = "publishing"  # present in the spare slot while the slots change places


def staging_dir(outdir: Path) -> Path:
    """The spare slot: a hidden sibling of OUTDIR (same file system, so renames are cheap)."""
    return outdir.with_name(f".{outdir.name}.staging")


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _level(source: Path, target: Path) -> int:
    """Make *target* a copy of *source* (empty if *source* is missing); return the files copied.

    A file counts as equal when its size and modification time (in nanoseconds) are:
    Sphinx sets both whenever it writes, and copies keep the time.
    """
    if not source.is_dir():
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        return 0
    target.mkdir(parents=True, exist_ok=True)
    return _level_folder(str(source), str(target))


def _level_folder(source: str, target: str) -> int:
    copied = 0
    existing = {entry.name: entry for entry in os.scandir(target)}
    for entry in os.scandir(source):
        here = existing.pop(entry.name, None)
        destination = os.path.join(target, entry.name)
        if entry.is_symlink():
            link = os.readlink(entry.path)
            if here is not None and not (here.is_symlink() and os.readlink(here.path) == link):
                _remove(destination)
                here = None
            if here is None:
                os.symlink(link, destination)
        elif entry.is_dir():
            if here is not None and not (here.is_dir() and not here.is_symlink()):
                _remove(destination)
                here = None
            if here is None:
                os.mkdir(destination)
            copied += _level_folder(entry.path, destination)
        else:
            mine = entry.stat()
            if here is not None:
                theirs = here.stat(follow_symlinks=False)
                if (stat.S_ISREG(theirs.st_mode) and theirs.st_size == mine.st_size
                        and theirs.st_mtime_ns == mine.st_mtime_ns):
                    continue
                _remove(destination)  # never write into the file: it could be a link to another
            shutil.copy2(entry.path, destination)
            copied += 1
    for name in existing:
        _remove(os.path.join(target, name))
    return copied


def _exchange(first: Path, second: Path) -> None:
    """Give *first* the name *second* and *second* (if it exists) the name *first*."""
    if not second.exists():
        first.rename(second)
        return
    if _renameat2 is not None and _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                                              _RENAME_EXCHANGE) == 0:
        return
    # no atomic exchange (not Linux, or an old kernel or file system): three renames,
    # with SECOND missing for the moment between the second and the third
    swap = first.with_name(first.name + ".swap")
    second.rename(swap)
    first.rename(second)
    swap.rename(first)


def _load_renameat2():
    """glibc's renameat2(2), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _load_renameat2()


def staged_build(source: Path, outdir: Path, doctreedir: Path, options: list[str]) -> int:
    """Run ``sphinx-build`` in the spare slot; on success make it the published one."""
    staging = staging_dir(outdir)
    staged_html, staged_doctrees = staging / "html", staging / "doctrees"
    if (staging / _MARK).exists():
        # the last publication was interrupted between its two exchanges: the published HTML is
        # whole, but its doctrees may be the other build's, so they go and Sphinx starts afresh
        shutil.rmtree(doctreedir, ignore_errors=True)
        shutil.rmtree(staging)
    staging.mkdir(parents=True, exist_ok=True)
    _level(outdir, staged_html)
    _level(doctreedir, staged_doctrees)
    from sphinx.cmd.build import build_main

    try:
        status = build_main([*options, "-d", str(staged_doctrees), str(source), str(staged_html)])
    except KeyboardInterrupt:
        status = 2
    if status != 0:
        print(
            f"staged_build: the build failed (exit status {status}); {outdir} is unchanged, "
            f"the failed output is in {staged_html}",
            file=sys.stderr,
        )
        return status
    # HTML and doctrees are published together: an incremental build trusts that the
    # doctrees describe the HTML beside them.  A mark covers the moment between the two.
    (staging / _MARK).touch()
    _exchange(staged_doctrees, doctreedir)
    _exchange(staged_html, outdir)
    (staging / _MARK).unlink()
    _level(outdir, staged_html)
    _level(doctreedir, staged_doctrees)
    print(f"staged_build: published {outdir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 3 or any(arg.startswith("-") for arg in argv[:3]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source, outdir, doctreedir = (Path(arg) for arg in argv[:3])
    collector.hold()  # this process runs one build and ends (zhiyuan/collector.py)
    status = staged_build(source, outdir, doctreedir, argv[3:])
    collector.release()
    return status


if __name__ == "__main__":
    sys.exit(main())
