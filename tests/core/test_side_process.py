"""Work beside the build in a fork of it (_ext/zhiyuan/side_process.py): it runs in another
process, one job at a time, and what goes wrong comes back to the build."""

from __future__ import annotations

import os
import time
from pathlib import Path

from zhiyuan import side_process


def test_a_job_runs_in_another_process_and_the_build_waits_for_it(tmp_path):
    out = tmp_path / "out.txt"
    job = side_process.start(lambda: out.write_text(str(os.getpid())), lock=tmp_path / "lock")
    assert job is not None and not job.detached
    assert side_process.finish(job) is None
    assert int(out.read_text()) not in (os.getpid(), 0)


def test_what_goes_wrong_in_a_job_comes_back_to_the_build(tmp_path):
    def work() -> None:
        raise OSError("no room left on the disk")

    problem = side_process.finish(side_process.start(work, lock=tmp_path / "lock"))
    assert problem is not None and "OSError: no room left on the disk" in problem


def test_a_nice_job_yields_to_the_build(tmp_path):
    out = tmp_path / "nice"
    job = side_process.start(lambda: out.write_text(str(os.nice(0))), lock=tmp_path / "lock", nice=10)
    assert side_process.finish(job) is None
    assert int(out.read_text()) == min(os.nice(0) + 10, 19)
    plain = side_process.start(lambda: out.write_text(str(os.nice(0))), lock=tmp_path / "lock")
    assert side_process.finish(plain) is None and int(out.read_text()) == os.nice(0)


def test_one_job_at_a_time(tmp_path):
    lock, log = tmp_path / "lock", tmp_path / "log"

    def work(name: str) -> None:
        with log.open("a") as file:
            file.write(f"{name} starts\n")
        time.sleep(0.3)
        with log.open("a") as file:
            file.write(f"{name} ends\n")

    first = side_process.start(lambda: work("first"), lock=lock)
    while not log.exists():
        time.sleep(0.01)
    assert not side_process.idle(lock)
    second = side_process.start(lambda: work("second"), lock=lock)
    assert side_process.finish(second) is None and side_process.finish(first) is None
    assert log.read_text().splitlines() == ["first starts", "first ends", "second starts", "second ends"]
    assert side_process.idle(lock)


def test_a_detached_job_is_not_waited_for_and_leaves_no_zombie(tmp_path):
    done = tmp_path / "done"
    job = side_process.start(lambda: (time.sleep(0.3), done.touch()), lock=tmp_path / "lock", detached=True)
    assert side_process.finish(job) is None
    assert not done.exists()  # the build went on
    deadline = time.monotonic() + 30
    while not done.exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    if children.exists():
        assert str(job.pid) not in children.read_text().split()


def _open_files() -> list[str]:
    folder = "/proc/self/fd"
    found = []
    for name in os.listdir(folder):
        try:
            found.append(os.readlink(f"{folder}/{name}"))
        except OSError:  # the listing's own descriptor, closed by now
            pass
    return found


def test_a_job_keeps_none_of_the_builds_descriptors(tmp_path):
    reader, writer = os.pipe()  # as a server waiting for the build's pipes to close
    try:
        pipe = os.readlink(f"/proc/self/fd/{writer}")  # pipe:[inode]
        out = tmp_path / "open"
        job = side_process.start(lambda: out.write_text("\n".join(_open_files())), lock=tmp_path / "lock")
        assert side_process.finish(job) is None
        assert pipe not in out.read_text().splitlines()
    finally:
        os.close(reader)
        os.close(writer)


def test_whether_a_job_still_runs_is_known_without_waiting_for_it(tmp_path):
    go = tmp_path / "go"

    def work() -> None:
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)

    job = side_process.start(work, lock=tmp_path / "lock")
    assert side_process.running(job)
    go.touch()
    deadline = time.monotonic() + 30
    while side_process.running(job):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert side_process.finish(job) is None  # still the build's to reap, and it succeeded
    failed = side_process.start(lambda: 1 / 0, lock=tmp_path / "lock")
    assert side_process.finish(failed) is not None
