"""Math is typeset at build time from the site's own KaTeX, with macros, errors and a cache."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, build, soup
from zhiyuan import state

ASSETS = REPO / "node_modules" / "katex" / "dist"


@pytest.fixture(autouse=True)
def _katex_assets(monkeypatch):
    assert (ASSETS / "katex.min.css").is_file(), "run `npm ci` first (nox does)"
    monkeypatch.setenv("PORTAL_KATEX_ASSETS", str(ASSETS))


def _copy(rootdir: Path, name: str, dest: Path) -> Path:
    shutil.copytree(rootdir / f"test-{name}", dest)
    return dest



def test_formulas_are_prerendered_without_katex_javascript(rootdir, tmp_path):
    app = build(_copy(rootdir, "math", tmp_path / "src"), freshenv=True)
    assert app.warning.getvalue() == ""
    page = soup(app.outdir / "index.html")
    assert len(page.select("span.math .katex")) == 4
    assert len(page.select("div.math .katex-display")) == 3
    # what a reader sees: the TeX source survives only inside MathML annotations
    for annotation in page.select("annotation"):
        annotation.decompose()
    text = page.select_one("body").get_text()
    for raw in ("$", "\\(", "\\[", "\\begin{align}"):
        assert raw not in text
    assert not [s for s in page.select("script[src]") if "katex" in s["src"]]
    css = [link["href"] for link in page.select('link[rel="stylesheet"]') if "katex" in link["href"]]
    assert any(href.startswith("_static/katex/katex.min.css") for href in css)
    assert (app.outdir / "_static/katex/fonts/KaTeX_Main-Regular.woff2").is_file()


def test_macros_from_conf_work_in_every_formula(rootdir, tmp_path):
    app = build(_copy(rootdir, "math", tmp_path / "src"), freshenv=True)
    for name in ("index", "other"):
        page = soup(app.outdir / f"{name}.html")
        assert page.select(".katex .mathbb"), name  # \RR -> \mathbb{R}
        assert not page.select(".katex-error, .katex-ssr-error"), name
        assert "\\RR" not in page.select_one(".katex-html").get_text()


def test_identical_formulas_render_once_and_are_cached(rootdir, tmp_path):
    src = _copy(rootdir, "math", tmp_path / "src")
    first = build(src, freshenv=True)
    distinct = {(tex, display) for recs in state.per_document(first.env, "katex_ssr.formulas").values() for tex, display, _ in recs}
    total = sum(len(recs) for recs in state.per_document(first.env, "katex_ssr.formulas").values())
    assert total > len(distinct)
    assert first.builder._katex_ssr_cache.rendered_this_build == len(distinct)
    (src / "other.md").write_text((src / "other.md").read_text() + "\n新段落 $a^2 + b^2 = c^2$。\n")
    second = build(src)
    assert second.builder._katex_ssr_cache.rendered_this_build == 0


def test_the_renderer_starts_while_documents_are_read(rootdir, tmp_path, monkeypatch):
    """At the first formula not in the cache, and renders the formulas of each document as it is
    read, so that Node.js works while Sphinx reads on; not at all when every formula read is cached."""
    from zhiyuan.formulas import katex_ssr
    started, sent = [], []
    start_renderer, send = katex_ssr.start_renderer, katex_ssr.Renderer.send

    def recording_start(*args):
        started.append([frame.function for frame in inspect.stack()])
        return start_renderer(*args)

    def recording_send(self, formulas):
        sent.append(([frame.function for frame in inspect.stack()], formulas))
        return send(self, formulas)

    monkeypatch.setattr(katex_ssr, "start_renderer", recording_start)
    monkeypatch.setattr(katex_ssr.Renderer, "send", recording_send)
    src = _copy(rootdir, "math", tmp_path / "src")
    first = build(src, freshenv=True)
    assert first.warning.getvalue() == ""
    assert len(started) == 1 and "_on_doctree_read" in started[0]
    # every formula went to the renderer while its document was read, each once (the second
    # document repeats the first's)
    assert [stack for stack, _formulas in sent if "_on_doctree_read" not in stack and _formulas] == []
    assert sum(len(formulas) for _stack, formulas in sent) == first.builder._katex_ssr_cache.rendered_this_build

    started.clear()
    (src / "other.md").write_text((src / "other.md").read_text() + "\n又一段，公式已缓存 $a^2 + b^2 = c^2$。\n")
    cached = build(src)
    assert cached.warning.getvalue() == ""
    assert started == []

    (src / "other.md").write_text((src / "other.md").read_text() + "\n新公式 $e^{i\\pi} + 1 = 0$。\n")
    new = build(src)
    assert new.warning.getvalue() == ""
    assert len(started) == 1 and "_on_doctree_read" in started[0]
    assert new.builder._katex_ssr_cache.rendered_this_build == 1
    assert soup(new.outdir / "other.html").select("span.math .katex")


def test_a_lost_cache_is_rebuilt_even_when_nothing_is_read(rootdir, tmp_path):
    """A no-op build trusts the last build's cache only while its file is there; pages
    written later (after an edit) still find every formula."""
    src = _copy(rootdir, "math", tmp_path / "src")
    first = build(src, freshenv=True)
    cache = Path(first.doctreedir) / "zhiyuan" / "katex_ssr_cache.pickle"
    cache.unlink()
    noop = build(src)
    assert noop.builder._katex_ssr_cache.rendered_this_build > 0
    assert cache.is_file()
    again = build(src)
    assert again.builder._katex_ssr_cache.rendered_this_build == 0
    (src / "index.md").write_text((src / "index.md").read_text() + "\n又一段。\n")
    edited = build(src)
    assert edited.warning.getvalue() == ""
    page = soup(edited.outdir / "index.html")
    assert not page.select(".katex-error, .katex-ssr-error")
    assert len(page.select("span.math .katex")) == 4


def test_formula_katex_rejects_is_a_warning_with_file_and_line(rootdir, tmp_path):
    app = build(_copy(rootdir, "math-error", tmp_path / "src"), freshenv=True)
    warnings = app.warning.getvalue()
    assert "index.md:5: WARNING: KaTeX cannot render" in warnings
    assert "notacommand" in warnings
    assert warnings.count("WARNING") == 1
    page = soup(app.outdir / "index.html")
    assert page.select_one("code.katex-ssr-error").get_text() == "\\notacommand{x}"


def _katex_processes() -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "katex" in cmdline and ("node" in cmdline or "render.js" in cmdline):
            found.append(cmdline)
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_render_process_outlives_abuild(rootdir, tmp_path, jobs):
    before = set(_katex_processes())
    src = _copy(rootdir, "math", tmp_path / "src")
    for extra in range(6):  # enough documents for Sphinx to read and write in parallel
        (src / f"extra{extra}.md").write_text(f"---\norphan: true\n---\n# 附加 {extra}\n\n$y_{extra}$\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "_ext")}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-j", jobs, "-q", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert set(_katex_processes()) - before == set()


def test_without_node_the_browser_renders_from_local_assets(rootdir, tmp_path):
    app = build(
        _copy(rootdir, "math", tmp_path / "src"), freshenv=True,
        confoverrides={"katex_ssr_node": "no-such-node-binary"},
    )
    assert app.warning.getvalue() == ""
    assert app.status.getvalue().count("Node.js ('no-such-node-binary') not found") == 1
    page = soup(app.outdir / "index.html")
    scripts = [s["src"] for s in page.select("script[src]")]
    assert any(src.startswith("_static/katex.min.js") for src in scripts)
    assert all("://" not in src for src in scripts)
    assert "\\(" in page.get_text()
    autorender = (app.outdir / "_static/katex_autorenderer.js").read_text()
    assert '"\\\\RR": "\\\\mathbb{R}"' in autorender
    assert (app.outdir / "_static/katex/katex.min.css").is_file()


def test_a_renderer_that_fails_while_documents_are_read_stops_the_build_saying_why(rootdir, tmp_path):
    """Node.js that ends after the macros, as a crash would, while the formulas are still sent."""
    failing = tmp_path / "failing-node"
    failing.write_text("#!/bin/sh\nread line\necho 'KaTeX exploded' >&2\nexit 3\n")
    failing.chmod(0o755)
    src = _copy(rootdir, "math", tmp_path / "src")
    with pytest.raises(Exception, match="KaTeX renderer failed: KaTeX exploded"):
        build(src, freshenv=True, confoverrides={"katex_ssr_node": str(failing)})


def test_the_cache_holds_one_renderer_and_other_macros_start_afresh(tmp_path):
    from zhiyuan.formulas.katex_ssr import _Cache

    path = tmp_path / "cache.pickle"
    cache = _Cache(path, {r"\RR": r"\mathbb{R}"})
    cache.entries[cache.key("x", False)] = ("html", "<span>x</span>")
    cache.rendered_this_build = 1
    cache.save(keep={cache.key("x", False)})
    assert _Cache(path, {r"\RR": r"\mathbb{R}"}).entries == {(False, "x"): ("html", "<span>x</span>")}
    other = _Cache(path, {r"\RR": r"\mathbf{R}"})
    assert other.entries == {} and not other.loaded
