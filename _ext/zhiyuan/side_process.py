"""Work done beside the build, in a fork of it, on the machine's other core.

Some of what a build produces depends only on the environment as it stands once every
document has been read — the search index is one — and not on the pages Sphinx writes
afterwards, or only on pages already written (the hover previews, made from their HTML).  :func:`start` runs such work in a copy of the build process (``os.fork``: the
environment is shared, not pickled), so the build goes on writing pages meanwhile, and
:func:`finish` waits for it when the build is done and returns what went wrong (the
exception; its traceback goes to the standard error), for the build to report as a warning
(under ``-W`` the build then fails, as with any other); :func:`running` says whether it is still
at work without waiting (the hover previews start their next batch only when the last is done).

* One writer at a time: the work runs holding an exclusive lock on a file of the caller's
  (``flock``), so two builds of one site never write the same files at once.
* The fork keeps no descriptor of the build's but the standard ones and its own result
  pipe: whoever waits for the end of the build by a pipe it shares with it (the live
  preview's server) is not kept waiting for the work too.
* A *detached* job (the live preview's search index) is not waited for: it runs in a
  grandchild, so no zombie is left behind, and reports an error on the standard error only.
* A job may yield to the build (*nice*): work the build waits for only at its end (share
  cards, cut fonts) then takes the core the build leaves idle rather than half of the build's.
* Where there is no ``fork`` (Windows), :func:`start` returns None and the caller does the
  work itself, in the build.

The fork never returns into the build's code: it leaves with ``os._exit``, so none of the
build's exit handlers or buffered files run twice.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import select
import sys
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

@dataclass(frozen=True)
class Job:
    """A fork doing work beside the build."""

    pid: int
    #: the read end of its result pipe (the exception if it failed; empty if it succeeded)
    result: int | None
    detached: bool = False


def available() -> bool:
    return hasattr(os, "fork")


def idle(lock: Path) -> bool:
    """Whether no job holds *lock* now."""
    if not lock.exists():
        return True
    with lock.open("a") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(probe, fcntl.LOCK_UN)
    return True


def start(work: Callable[[], None], *, lock: Path | None, detached: bool = False, quiet: bool = False,
          keep: Sequence[int] = (), nice: int = 0) -> Job | None:
    """Run *work* in a fork of this process, holding *lock* (None: the caller holds one, passed
    down in *keep*); None where there is no fork.  A *quiet* job's standard streams go to
    ``/dev/null`` (for a detached job that must not hold a pipe its caller's caller reads); a
    *nice* one runs that much lower in the scheduler's favour than the build."""
    if not available():
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    if detached:
        pid = os.fork()
        if pid == 0:  # the child: fork the worker, then leave at once (the build reaps it below)
            if os.fork() == 0:
                _run(work, lock, None, quiet, keep, nice)
            os._exit(0)
        os.waitpid(pid, 0)
        return Job(pid, None, detached=True)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        _run(work, lock, writer, quiet, keep, nice)
    os.close(writer)
    return Job(pid, reader)


def _run(work: Callable[[], None], lock: Path | None, result: int | None, quiet: bool, keep: Sequence[int],
         nice: int) -> None:
    """In the fork: do *work* and leave, never returning to the build's code."""
    status = 1
    try:
        kept = sorted({0, 1, 2, *keep, *([result] if result is not None else [])})
        for low, high in zip(kept, [*kept[1:], _max_descriptors()]):
            os.closerange(low + 1, high)
        if quiet:
            nowhere = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(nowhere, stream)
            os.close(nowhere)
        if nice:
            os.nice(nice)
        # the build's objects are the fork's only by copy: keep the collector off them, so it
        # neither spends time on them nor copies the memory pages it would touch
        gc.freeze()
        if lock is None:
            work()
        else:
            lock.parent.mkdir(parents=True, exist_ok=True)
            with lock.open("w") as held:
                fcntl.flock(held, fcntl.LOCK_EX)  # after the writer of an earlier build, if it still runs
                work()
        status = 0
    except BaseException as error:  # noqa: BLE001  (reported to the build, which decides)
        if result is not None:
            summary = "".join(traceback.format_exception_only(error)).strip()
            os.write(result, summary.encode("utf-8", "replace"))
        with contextlib.suppress(Exception):  # (a standard error the fork lost)
            sys.stderr.write(traceback.format_exc())
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def _max_descriptors() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (AttributeError, ValueError, OSError):
        return 1024


def start_or_run(work: Callable[[], None], *, lock: Path | None, failed: Callable[[str], None],
                 nice: int = 0) -> Job | None:
    """:func:`start` *work*; where there is no fork, run it now, in the build, and hand what
    went wrong (the exception, one line) to *failed*, as the caller reports :func:`finish`'s."""
    job = start(work, lock=lock, nice=nice)
    if job is None:
        try:
            work()
        except Exception as error:  # noqa: BLE001  (reported as the side process's would be)
            failed("".join(traceback.format_exception_only(error)).strip())
    return job


def running(job: Job) -> bool:
    """Whether *job* is still at work, without waiting for it (its result pipe is readable once it
    ended or reported); a detached job never counts as running."""
    if job.detached or job.result is None:
        return False
    readable, _, _ = select.select([job.result], [], [], 0)
    return not readable


def finish(job: Job) -> str | None:
    """Wait for *job* (not for a detached one) and return what went wrong, or None."""
    if job.detached or job.result is None:
        return None
    chunks = []
    with os.fdopen(job.result, "rb") as result:
        while chunk := result.read(65536):
            chunks.append(chunk)
    _, wait_status = os.waitpid(job.pid, 0)
    report = b"".join(chunks).decode("utf-8", "replace").strip()
    code = os.waitstatus_to_exitcode(wait_status)
    if code == 0 and not report:
        return None
    return report or f"the process doing it ended with status {code}"
