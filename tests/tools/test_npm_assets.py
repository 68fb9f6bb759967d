"""nox runs `npm ci` only when node_modules/ is missing or out of date with package-lock.json
(_ext/zhiyuan/tools/npm_assets.py, called by the noxfile's ``_install_assets``)."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import sys
import types

import pytest

from zhiyuan.tools.npm_assets import STAMP, npm_ci_needed, write_stamp

from helpers import REPO

LOCK = '{"name": "zhiyuan-portal", "lockfileVersion": 3, "packages": {"node_modules/katex": {"version": "0.16.22"}}}\n'


def _project(tmp_path, lock: str = LOCK):
    (tmp_path / "package-lock.json").write_text(lock, encoding="utf-8")
    return tmp_path


def _npm_ci(root):
    """What `npm ci` leaves: node_modules/ emptied and filled again (without a stamp)."""
    shutil.rmtree(root / "node_modules", ignore_errors=True)
    (root / "node_modules" / "katex").mkdir(parents=True)


def test_missing_node_modules_needs_npm_ci(tmp_path):
    assert npm_ci_needed(_project(tmp_path))


def test_node_modules_without_a_stamp_needs_npm_ci(tmp_path):
    """Installed by hand, or by an `npm ci` that failed midway: which lock it holds is unknown."""
    root = _project(tmp_path)
    _npm_ci(root)
    assert npm_ci_needed(root)


def test_the_stamp_of_the_lock_skips_npm_ci(tmp_path):
    root = _project(tmp_path)
    _npm_ci(root)
    write_stamp(root)
    assert not npm_ci_needed(root)
    stamp = (root / "node_modules" / STAMP).read_text(encoding="ascii")
    assert stamp == hashlib.sha256(LOCK.encode()).hexdigest() + "\n"


def test_a_changed_lock_needs_npm_ci(tmp_path):
    root = _project(tmp_path)
    _npm_ci(root)
    write_stamp(root)
    (root / "package-lock.json").write_text(LOCK.replace("0.16.22", "0.16.23"), encoding="utf-8")
    assert npm_ci_needed(root)
    _npm_ci(root)
    write_stamp(root)
    assert not npm_ci_needed(root)


def test_a_missing_lock_is_left_to_npm_ci(tmp_path):
    """`npm ci` itself then says that package-lock.json is missing."""
    root = _project(tmp_path)
    _npm_ci(root)
    write_stamp(root)
    (root / "package-lock.json").unlink()
    assert npm_ci_needed(root)


class _Session:
    """What ``_install_assets`` uses of a nox session; `npm ci` is simulated in *root*."""

    def __init__(self, root):
        self.root, self.runs, self.warnings = root, [], []

    def run(self, *args, **kwargs):
        self.runs.append(args)
        _npm_ci(self.root)

    def log(self, message):
        pass

    def warn(self, message):
        self.warnings.append(message)


@pytest.fixture
def noxfile(monkeypatch, tmp_path):
    """The noxfile, loaded with a stand-in for nox (the tests' environment has none), working on *tmp_path*."""
    stand_in = types.ModuleType("nox")
    stand_in.options = types.SimpleNamespace()
    stand_in.session = lambda function=None, **options: function or (lambda function: function)
    monkeypatch.setitem(sys.modules, "nox", stand_in)
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("zhiyuan_noxfile", REPO / "noxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", _project(tmp_path))
    return module


def test_sessions_run_npm_ci_once_per_lock(noxfile, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    session = _Session(tmp_path)
    noxfile._install_assets(session)
    assert [run[:2] for run in session.runs] == [("npm", "ci")]
    assert not npm_ci_needed(tmp_path)  # stamped after npm ci
    noxfile._install_assets(session)
    assert len(session.runs) == 1
    (tmp_path / "package-lock.json").write_text(LOCK.replace("0.16.22", "0.16.23"), encoding="utf-8")
    noxfile._install_assets(session)
    assert len(session.runs) == 2 and not npm_ci_needed(tmp_path)
    assert session.warnings == []


def test_without_npm_node_modules_is_used_as_it_is(noxfile, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    session = _Session(tmp_path)
    noxfile._install_assets(session)
    assert session.runs == []
    assert len(session.warnings) == 1 and "npm not found" in session.warnings[0]
    assert npm_ci_needed(tmp_path)  # nothing stamped: npm ci runs once npm is there
