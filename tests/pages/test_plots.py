"""Plots computed at build time (_ext/zhiyuan/pages/plots): the code shown, then its figure as a
numbered SVG image with alt text, Chinese labels, no date in the file; an unchanged plot's code
does not run again; a plot whose SVG is committed (diagrams_committed) runs no code, a new or
changed one is run and its file written there, a stale one deleted; a failing plot or a missing
font is a warning naming file and line."""

from __future__ import annotations

import shutil

import pytest
from helpers import build, soup
from zhiyuan.pages import plots


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("plots")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_the_code_then_its_figure(app):
    page = soup(app.outdir / "posts/curve.html")
    code = page.select_one("div.zy-plot-source")
    assert 'plt.xlabel("训练步数")' in code.get_text()
    figure = page.select_one("figure#fig-curve")
    assert code.find_next("figure") is figure
    assert figure.select_one(".caption-number").get_text(strip=True) == "图 1"
    assert page.select_one("span.std-numref").get_text() == "图 1"
    img = figure.select_one("img")
    assert img["alt"] == "一条先升后降的曲线"
    assert {"zy-plot", "zy-zoom"} <= set(img["class"]) and img["loading"] == "lazy"
    assert int(img["width"]) > 300 and int(img["height"]) > 150
    svg = (app.outdir / "posts" / img["src"]).resolve().read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "<script" not in svg
    # glyphs are paths: a label's characters are in the file as glyph ids, not text
    assert "<!-- 训练步数 -->" in svg and '<path id="NotoSansCJKsc-' in svg


def test_an_unchanged_plot_does_not_run_again(app):
    before = plots.ran["plots"]
    again = build(app.srcdir, freshenv=True)  # every page read again
    assert again.warning.getvalue() == ""
    assert plots.ran["plots"] == before
    assert [p.read_bytes() for p in sorted((again.outdir / "_images").iterdir())] == [
        p.read_bytes() for p in sorted((app.outdir / "_images").iterdir())]


def test_plots_are_drawn_while_the_posts_are_read(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-plots", src)
    before = dict(plots.ran)
    app = build(src)  # an empty cache: every plot is drawn
    assert app.warning.getvalue() == ""
    drawn = plots.ran["plots"] - before["plots"]
    assert drawn == len(list((app.outdir / "_images").glob("*.svg"))) > 0
    # each started before its post was read, none by its directive
    assert plots.ran["ahead"] - before["ahead"] == drawn


def test_a_failing_plot_and_a_missing_font_are_warnings_naming_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-plots", src)
    (src / "posts/broken.md").write_text(
        "---\norphan: true\n---\n\n# 坏图\n\n```{plot}\n:alt: 坏的\n\nraise ValueError('没有数据')\n```\n",
        encoding="utf-8",
    )
    app = build(src, confoverrides={"plots_font": "No Such Font"})
    warnings = app.warning.getvalue().splitlines()
    error = [line for line in warnings if "[plots.error]" in line]
    assert len(error) == 1 and "broken.md:7" in error[0] and "ValueError: 没有数据" in error[0], warnings
    font = [line for line in warnings if "[plots.font]" in line]
    assert any("curve.md:9" in w and "'No Such Font' is not installed" in w for w in font), warnings


def test_an_incremental_build_leaves_what_a_clean_one_writes(app, rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-plots", src)
    shutil.copytree(app.doctreedir / "zhiyuan", src / "_build/doctrees/zhiyuan")  # the plot drawn once
    build(src)
    post = src / "posts/curve.md"
    post.write_text(post.read_text(encoding="utf-8").replace("0.01, 100", "0.02, 100"), encoding="utf-8")
    incremental = build(src)
    assert incremental.warning.getvalue() == ""
    clean = build(src, freshenv=True, builddir=tmp_path / "clean")
    files = {p.name: p.read_bytes() for p in (incremental.outdir / "_images").iterdir()}
    assert files == {p.name: p.read_bytes() for p in (clean.outdir / "_images").iterdir()}
    assert len(files) == 1


COMMITTED = {"diagrams_committed": "_diagrams"}


def _with_committed(app, rootdir, tmp_path):
    """A copy of the root (no cache folder) whose committed folder holds the SVG *app* drew,
    with a mark in it: an output file with the mark was taken from there."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-plots", src)
    (src / "_diagrams").mkdir()
    [svg] = (app.outdir / "_images").glob("plot-*.svg")
    marked = svg.read_bytes().replace(b"</svg>", b"<!-- committed -->\n</svg>")
    (src / "_diagrams" / svg.name).write_bytes(marked)
    return src, svg.name, marked


def test_a_committed_plot_runs_no_code(app, rootdir, tmp_path):
    src, name, marked = _with_committed(app, rootdir, tmp_path)
    before = dict(plots.ran)
    again = build(src, confoverrides=COMMITTED)  # a clean build: no cache folder
    assert again.warning.getvalue() == ""
    assert plots.ran == before  # neither started ahead nor by the directive
    assert [p.name for p in (again.outdir / "_images").iterdir()] == [name]
    assert (again.outdir / "_images" / name).read_bytes() == marked
    assert [p.name for p in (src / "_diagrams").iterdir()] == [name]


def test_a_changed_plot_is_run_its_file_committed_and_the_stale_ones_deleted(app, rootdir, tmp_path):
    src, old, _marked = _with_committed(app, rootdir, tmp_path)
    (src / "_diagrams/plot-0123456789abcdef0123456789abcdef-1.svg").write_text("<svg/>")  # a plot since deleted
    post = src / "posts/curve.md"
    post.write_text(post.read_text(encoding="utf-8").replace("0.01, 100", "0.02, 100"), encoding="utf-8")
    before = plots.ran["plots"]
    again = build(src, confoverrides=COMMITTED)
    assert again.warning.getvalue() == ""
    assert plots.ran["plots"] == before + 1
    [shown] = (again.outdir / "_images").glob("plot-*.svg")
    assert shown.name != old
    assert sorted(p.name for p in (src / "_diagrams").glob("plot-*.svg")) == [shown.name]
    assert (src / "_diagrams" / shown.name).read_bytes() == shown.read_bytes()


def test_the_committed_folder_gets_a_missing_file_from_the_cache(app, rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-plots", src)
    shutil.copytree(app.doctreedir / "zhiyuan", src / "_build/doctrees/zhiyuan")  # the plot drawn once
    before = plots.ran["plots"]
    again = build(src, confoverrides=COMMITTED)
    assert again.warning.getvalue() == "" and plots.ran["plots"] == before
    [shown] = (again.outdir / "_images").glob("plot-*.svg")
    assert [p.name for p in (src / "_diagrams").iterdir()] == [shown.name]
    assert (src / "_diagrams" / shown.name).read_bytes() == shown.read_bytes()
