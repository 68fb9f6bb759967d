"""Compiled Jinja templates are kept between builds (_ext/zhiyuan/theme/template_cache.py), and an edited one is compiled again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import build, soup


def _cache_files(app) -> dict[str, int]:
    folder = Path(app.doctreedir) / "zhiyuan" / "jinja_bytecode"
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("*.cache")}


def _marker(app) -> str:
    return soup(Path(app.outdir) / "index.html").select_one("#marker").get_text()


def test_templates_compiled_once_are_loaded_from_the_cache(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-template-cache", src)
    first = build(src, freshenv=True)
    assert first.warning.getvalue() == ""
    cached = _cache_files(first)
    assert len(cached) >= 2  # our layout and the theme's it extends
    index = src / "index.rst"
    os.utime(index, ns=(index.stat().st_atime_ns, index.stat().st_mtime_ns + 10**9))  # write the page again
    second = build(src)
    assert second.warning.getvalue() == ""
    assert _cache_files(second) == cached  # loaded, not compiled and stored again
    assert _marker(second) == "first"


def test_an_edited_template_is_compiled_again(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-template-cache", src)
    first = build(src, freshenv=True)
    assert _marker(first) == "first"
    layout = src / "_templates/layout.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("first", "second"), encoding="utf-8")
    second = build(src)
    assert second.warning.getvalue() == ""
    assert _marker(second) == "second"


def test_a_template_is_not_checked_on_disk_again_once_loaded(rootdir, tmp_path, monkeypatch):
    """Jinja's auto-reload would stat every template each time a page uses it."""
    import sphinx.jinja2glue

    stats = []
    last_modified_time = sphinx.jinja2glue._last_modified_time
    monkeypatch.setattr(sphinx.jinja2glue, "_last_modified_time", lambda path: stats.append(path) or last_modified_time(path))
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-template-cache", src)
    for page in ("one", "two", "three"):
        (src / f"{page}.rst").write_text(f":orphan:\n\n{page}\n=====\n", encoding="utf-8")
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    assert stats, "templates are loaded through Sphinx's loader"
    assert len(stats) == len(set(stats))  # once, when loaded; not again for each page
