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
offers one), and the slot that was published is brought level with the new one —
copying what this build changed — by a process of its own, on the other core, once
this one has ended; the next build waits for it (a lock in the spare slot) before
it levels the slots itself, which then finds nothing to copy.  After a failure OUTDIR
and DOCTREEDIR are untouched and the failed output stays in the spare slot for
inspection, until the next build levels it.

A build with no published site (the first, or after ``rm -rf _build``) writes every
file, and the spare slot would then need a copy of all of them (96 MB in 3171 files
at 333 posts).  While such a build runs, a process of its own, on the other core,
copies into a third folder each file Sphinx has finished with (unchanged for a
second); that folder becomes the spare slot, and the levelling after the build copies
only what changed after it was copied.

Hard links would make levelling free, but Sphinx writes its pages, pickles and
copied static files by opening the existing file for writing, which would write
through a link into the published site while the build runs.  Copies it is, and
they keep each file's modification time, which Sphinx's incremental build reads.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import os
import select
import shutil
import stat
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, when run as a script

from zhiyuan import collector, side_process  # noqa: E402  (plain Python: no Sphinx yet)

_RENAME_EXCHANGE = 2  # linux/fs.h: swap the two names atomically
_AT_FDCWD = -100
_MARK = "publishing"  # present in the spare slot while the slots change places
_LEVELLING = "levelling.lock"  # in the spare slot: held while it is levelled after a publication
_FILLED = "filling"  # in the spare slot: the copy a build with no published site makes as it goes
_SETTLED = 1.0  # seconds a file has not changed before the filler copies it


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
    try:  # the C library this Python is linked with; finding it by name (ctypes.util) runs ldconfig
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _load_renameat2()


def _fill(sources: list[tuple[str, str]], stop: int) -> None:
    """Copy into each target the files of its source that have not changed for :data:`_SETTLED`
    seconds, again and again, until *stop* is readable (the build ended).  A file that changes
    while it is copied is dropped; one that changes after is copied again, or left to the
    levelling after the build, which sees it differ (a later write gives it a later time)."""
    with contextlib.suppress(OSError):
        os.nice(10)  # the build comes first
    copied: dict[str, tuple[int, int]] = {}
    while True:
        settled = time.time_ns() - int(_SETTLED * 1e9)
        for source, target in sources:
            for folder, _, files in os.walk(source):
                into = os.path.join(target, os.path.relpath(folder, source))
                for name in files:
                    path = os.path.join(folder, name)
                    try:
                        before = os.lstat(path)
                        if not stat.S_ISREG(before.st_mode) or before.st_mtime_ns > settled:
                            continue
                        if copied.get(path) == (before.st_size, before.st_mtime_ns):
                            continue
                        os.makedirs(into, exist_ok=True)
                        shutil.copy2(path, os.path.join(into, name))
                        after = os.lstat(path)
                    except OSError:  # gone meanwhile, or the target was removed: the levelling sees to it
                        continue
                    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                        with contextlib.suppress(OSError):
                            os.unlink(os.path.join(into, name))
                        continue
                    copied[path] = (before.st_size, before.st_mtime_ns)
        if select.select([stop], [], [], 0.5)[0]:
            return


class _Filler:
    """The copy a build with no published site makes of its output as it goes (see the module):
    a process of its own, told to stop by the end of a pipe."""

    def __init__(self, folder: Path, job: side_process.Job, stop: int) -> None:
        self.folder = folder
        self._job = job
        self._stop = stop

    @classmethod
    def start(cls, staging: Path) -> _Filler | None:
        folder = staging / _FILLED
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        reader, writer = os.pipe()
        sources = [(str(staging / name), str(folder / name)) for name in ("html", "doctrees")]
        job = side_process.start(functools.partial(_fill, sources, reader), lock=None, quiet=True, keep=(reader,))
        os.close(reader)
        if job is None:  # no fork: the levelling after the build copies everything
            os.close(writer)
            return None
        return cls(folder, job, writer)

    def stop(self) -> None:
        """Stop copying (the build is over) and wait until the copy in hand is done."""
        os.close(self._stop)
        side_process.finish(self._job)  # what it could not copy, the levelling after the build copies


def _levelled(staging: Path) -> None:
    """Wait until the levelling after the last publication is done."""
    lock = staging / _LEVELLING
    if lock.exists():
        with lock.open("a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)


def _level_after_publishing(staging: Path, outdir: Path, doctreedir: Path) -> None:
    """Level the spare slot with the slot just published, in a process of its own that holds
    the spare slot's lock until it is done (here, where there is no fork)."""
    level = functools.partial(_level_slots, outdir, doctreedir, staging)
    held = (staging / _LEVELLING).open("a")
    fcntl.flock(held, fcntl.LOCK_EX)  # taken before the fork, so no build can level before it
    try:
        job = side_process.start(level, lock=None, detached=True, quiet=True, keep=(held.fileno(),))
        if job is None:
            level()
    finally:
        held.close()


def _level_slots(outdir: Path, doctreedir: Path, staging: Path) -> None:
    _level(outdir, staging / "html")
    _level(doctreedir, staging / "doctrees")


def staged_build(source: Path, outdir: Path, doctreedir: Path, options: list[str]) -> int:
    """Run ``sphinx-build`` in the spare slot; on success make it the published one."""
    staging = staging_dir(outdir)
    staged_html, staged_doctrees = staging / "html", staging / "doctrees"
    if staging.is_dir():
        _levelled(staging)
    if (staging / _MARK).exists():
        # the last publication was interrupted between its two exchanges: the published HTML is
        # whole, but its doctrees may be the other build's, so they go and Sphinx starts afresh
        shutil.rmtree(doctreedir, ignore_errors=True)
        shutil.rmtree(staging)
    staging.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(staging / _FILLED, ignore_errors=True)  # (left by a build that was killed)
    _level(outdir, staged_html)
    _level(doctreedir, staged_doctrees)
    filler = _Filler.start(staging) if not outdir.is_dir() else None
    from sphinx.cmd.build import build_main

    try:
        status = build_main([*options, "-d", str(staged_doctrees), str(source), str(staged_html)])
    except KeyboardInterrupt:
        status = 2
    finally:
        if filler is not None:
            filler.stop()
    if status != 0:
        if filler is not None:
            shutil.rmtree(filler.folder, ignore_errors=True)
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
    if filler is not None:  # what it copied is the spare slot (the exchanges left none)
        for name in ("html", "doctrees"):
            if (filler.folder / name).is_dir() and not (staging / name).exists():
                (filler.folder / name).rename(staging / name)
        shutil.rmtree(filler.folder, ignore_errors=True)
    _level_after_publishing(staging, outdir, doctreedir)
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
