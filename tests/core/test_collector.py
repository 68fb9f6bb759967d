"""The cycle collector in a process that runs one build (_ext/zhiyuan/collector.py): off while
the extensions and the environment load, on again for the build, what was loaded frozen, and
what reading keeps frozen as documents are read; in any other process (sphinx-build, the tests)
left alone."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys

from helpers import REPO, build

_HELD_BUILD = """
import gc, sys
from zhiyuan import collector
collector.hold()
held = not gc.isenabled()
from sphinx.application import Sphinx
src, out = sys.argv[1], sys.argv[2]
app = Sphinx(src, src, out + "/html", out + "/doctrees", "html", status=None)
seen = {}
app.connect("env-before-read-docs", lambda app, env, docs: seen.update(on=gc.isenabled(), frozen=gc.get_freeze_count()))
app.build()
print(held, seen["on"], seen["frozen"] > 0, app.statuscode)
"""

_HELD_READING = """
import gc, sys
from zhiyuan import collector
collector.hold()
from sphinx.application import Sphinx
src, out = sys.argv[1], sys.argv[2]
app = Sphinx(src, src, out + "/html", out + "/doctrees", "html", status=None)
frozen = []  # before each document is read, after the collector's own handler
app.connect("env-purge-doc", lambda app, env, docname: frozen.append(gc.get_freeze_count()))
app.connect("env-updated", lambda app, env: frozen.append(gc.get_freeze_count()) or [], priority=999)
app.build()
print(app.statuscode, *frozen)
"""


def _site(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-staged", src)
    (src / "conf.py").write_text('extensions = ["myst_parser", "zhiyuan.collector"]\n', encoding="utf-8")
    return src


def test_a_process_that_holds_the_collector_builds_with_it_on_and_what_it_loaded_frozen(rootdir, tmp_path):
    src = _site(rootdir, tmp_path)
    result = subprocess.run([sys.executable, "-c", _HELD_BUILD, str(src), str(tmp_path / "out")],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "_ext")})
    assert result.stdout.split() == ["True", "True", "True", "0"], result.stderr


def test_a_process_that_holds_the_collector_freezes_what_reading_keeps_every_25_documents(rootdir, tmp_path):
    src = _site(rootdir, tmp_path)
    for n in range(60 - len(list(src.glob("*.md")))):
        (src / f"extra-{n:02}.md").write_text(f"# 文档 {n}\n\n正文。\n", encoding="utf-8")
    (src / "index.md").write_text("# 首页\n\n```{toctree}\n:glob:\n\n*\n```\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", _HELD_READING, str(src), str(tmp_path / "out")],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "_ext")})
    status, *frozen = map(int, result.stdout.split())
    assert status == 0 and len(frozen) == 61, result.stderr  # before each of 60 documents, then env-updated
    # more frozen before the 25th and the 50th document are read, and once reading is done; never else
    grew = [n + 1 for n in range(1, 61) if frozen[n] > frozen[n - 1]]
    assert grew == [25, 50, 61], frozen


def test_any_other_process_keeps_its_collector_as_it_is(rootdir, tmp_path):
    frozen = gc.get_freeze_count()
    app = build(_site(rootdir, tmp_path), freshenv=True)
    assert app.warning.getvalue() == ""
    assert gc.isenabled() and gc.get_freeze_count() == frozen
