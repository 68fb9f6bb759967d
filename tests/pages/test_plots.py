"""Plots computed at build time (_ext/zhiyuan/pages/plots): the code shown, then its figure as a
numbered SVG image with alt text, Chinese labels, no date in the file; an unchanged plot's code
does not run again; a failing plot or a missing font is a warning naming file and line."""

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
