"""Diagrams drawn at build time (_ext/zhiyuan/pages/diagrams): Mermaid (mermaid-cli in Chromium)
and Graphviz to SVG images that are figures (numbered, alt text, sized, lazy, zoom), no
<object> and no Mermaid script; a diagram that cannot be drawn, or a missing renderer, is a
warning naming file and line; an unchanged diagram is not drawn again, nor a committed one."""

from __future__ import annotations

import os
import shutil

import pytest
from helpers import REPO, build, soup
from zhiyuan.pages import diagrams

MERMAID_CLI = REPO / "node_modules/@mermaid-js/mermaid-cli"
if not (MERMAID_CLI / "package.json").is_file() or not shutil.which("dot"):
    message = "needs `npm ci` (mermaid-cli) and Graphviz's dot (Debian graphviz)"
    if os.environ.get("CI"):
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)

OVERRIDES = {"diagrams_mermaid_cli": str(MERMAID_CLI)}


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("diagrams", confoverrides=OVERRIDES)


def _copy_with_cache(app, rootdir, tmp_path):
    """A copy of the root whose cache folder holds the diagrams *app* drew (no browser started
    for them again: the tests stay fast)."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-diagrams", src)
    shutil.copytree(app.doctreedir / "zhiyuan", src / "_build/doctrees/zhiyuan")
    return src


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_diagrams_are_numbered_figures_of_svg_images(app):
    page = soup(app.outdir / "posts/flow.html")
    figures = page.select("figure")
    assert [f["id"] for f in figures] == ["fig-flow", "fig-dot"]
    assert [f.select_one(".caption-number").get_text(strip=True) for f in figures] == ["图 1", "图 2"]
    assert [r.get_text() for r in page.select("span.std-numref")] == ["图 1", "图 2"]
    images = [f.select_one("img") for f in figures]
    assert [img["alt"] for img in images] == ["两个方框由箭头相连：数据到模型", "三个节点：a 指向 b 和 c"]
    for img, kind in zip(images, ("mermaid", "graphviz"), strict=True):
        assert img["src"].startswith(f"../_images/{kind}-") and img["src"].endswith(".svg")
        assert {"zy-diagram", f"zy-diagram-{kind}", "zy-zoom"} <= set(img["class"])
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert img["loading"] == "lazy"
        svg = (app.outdir / "posts" / img["src"]).resolve().read_text(encoding="utf-8")
        assert "<svg" in svg and "<script" not in svg and "foreignObject" not in svg
    # no <object> (the policy's object-src 'none'), no Mermaid in the browser
    assert not page.select("object") and "mermaid" not in " ".join(s.get("src", "") for s in page.select("script"))
    assert not list(app.outdir.glob("_static/**/mermaid*"))
    assert (app.outdir / "_static/zhiyuan-diagrams.css").is_file()


def test_a_plain_mermaid_fence_is_a_diagram_too(app):
    figure = soup(app.outdir / "posts/fence.html").select_one("figure#fig-fence")
    assert figure.select_one(".caption-number").get_text(strip=True) == "图 1"
    assert "zy-diagram-mermaid" in figure.img["class"] and figure.img["alt"] == "一个方框指向另一个方框"


def test_an_unchanged_diagram_is_not_drawn_again(app, tmp_path):
    before = dict(diagrams.drawn)
    again = build(app.srcdir, freshenv=True, confoverrides=OVERRIDES)  # every page read again
    assert again.warning.getvalue() == ""
    assert diagrams.drawn == before
    assert sorted(p.name for p in (again.outdir / "_images").iterdir()) == sorted(
        p.name for p in (app.outdir / "_images").iterdir())


def test_a_diagram_that_cannot_be_drawn_is_a_warning_naming_file_and_line(app, rootdir, tmp_path):
    src = _copy_with_cache(app, rootdir, tmp_path)
    (src / "posts/broken.md").write_text(
        "---\norphan: true\n---\n\n# 坏图\n\n```{mermaid}\n:alt: 坏的\n\nflowchart LR\n  A -->\n```\n\n"
        "```{graphviz}\n:alt: 也坏\n\ndigraph { a -> }\n```\n\n```{mermaid}\n\nflowchart LR\n  A --> B\n```\n",
        encoding="utf-8",
    )
    app = build(src, confoverrides=OVERRIDES)
    warnings = app.warning.getvalue().splitlines()
    render = [line for line in warnings if "[diagrams.render]" in line]
    assert len(render) == 2, warnings
    assert any("broken.md:7" in w and "Mermaid cannot draw the diagram" in w for w in render)
    assert any("broken.md:14" in w and "Graphviz cannot draw the diagram" in w for w in render)
    assert [line for line in warnings if "[figures.alt]" in line and "broken.md:20" in line]
    # the page shows the diagrams' source instead
    assert [b.get_text().strip() for b in soup(app.outdir / "posts/broken.html").select(".zy-diagram-source")][:2] == [
        "flowchart LR\n  A -->", "digraph { a -> }"]


def test_a_missing_renderer_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-diagrams", src)
    app = build(src, confoverrides={**OVERRIDES, "diagrams_browser": str(tmp_path / "no-chromium"),
                                    "graphviz_dot": str(tmp_path / "no-dot")})
    tool = [line for line in app.warning.getvalue().splitlines() if "[diagrams.tool]" in line]
    assert len(tool) == 3, tool
    assert any("fence.md:7" in w and "no-chromium" in w for w in tool)
    assert any("flow.md:9" in w and "no-chromium" in w for w in tool)
    assert any("flow.md:18" in w and "no-dot" in w for w in tool)


def test_graphviz_diagrams_are_drawn_a_few_at_once(app, rootdir, tmp_path):
    """Each ``dot`` of this one waits (30 s at most) until the other has started, so the two
    diagrams are drawn only if they are drawn at once; drawn one after the other, the first
    gives up and says so."""
    started = tmp_path / "started"
    started.mkdir()
    dot = tmp_path / "dot"
    dot.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = -V ] && exec {shutil.which("dot")} -V\n'
        f'touch "{started}/$$"\n'
        "i=0\n"
        f'while [ "$(ls "{started}" | wc -l)" -lt 2 ]; do\n'
        '  i=$((i + 1)); [ "$i" -gt 300 ] && { echo "drawn alone" >&2; exit 1; }\n'
        "  sleep 0.1\n"
        "done\n"
        f'exec {shutil.which("dot")} "$@"\n',
        encoding="utf-8",
    )
    dot.chmod(0o755)
    src = _copy_with_cache(app, rootdir, tmp_path)
    (src / "posts/two.md").write_text(
        "---\norphan: true\n---\n\n# 两张图\n\n```{graphviz}\n:alt: 一\n\ndigraph { x -> y; }\n```\n\n"
        "```{graphviz}\n:alt: 二\n\ndigraph { y -> z; }\n```\n",
        encoding="utf-8",
    )
    drawn = diagrams.drawn["graphviz"]
    two = build(src, confoverrides={**OVERRIDES, "graphviz_dot": str(dot)})
    assert two.warning.getvalue() == ""
    assert diagrams.drawn["graphviz"] - drawn == 2 and len(list(started.iterdir())) == 2
    assert len(soup(two.outdir / "posts/two.html").select("img.zy-diagram")) == 2


def test_an_incremental_build_leaves_what_a_clean_one_writes(app, rootdir, tmp_path):
    src = _copy_with_cache(app, rootdir, tmp_path)
    build(src, confoverrides=OVERRIDES)
    post = src / "posts/flow.md"
    post.write_text(post.read_text(encoding="utf-8").replace("a -> c;", "a -> d;"), encoding="utf-8")
    incremental = build(src, confoverrides=OVERRIDES)
    assert incremental.warning.getvalue() == ""
    shutil.copytree(src / "_build/doctrees/zhiyuan", tmp_path / "clean/doctrees/zhiyuan")
    clean = build(src, confoverrides=OVERRIDES, freshenv=True, builddir=tmp_path / "clean")
    files = {p.relative_to(incremental.outdir): p.read_bytes() for p in (incremental.outdir / "_images").iterdir()}
    assert files == {p.relative_to(clean.outdir): p.read_bytes() for p in (clean.outdir / "_images").iterdir()}
    assert len([name for name in files if name.name.startswith("graphviz-")]) == 1


def test_the_committed_folder_keeps_the_svgs_of_the_diagrams_shown_and_no_other(app, rootdir, tmp_path):
    src = _copy_with_cache(app, rootdir, tmp_path)
    committed = src / "_diagrams"
    committed.mkdir()
    shown = sorted(path.name for path in (app.outdir / "_images").glob("mermaid-*.svg"))
    assert shown
    for name in shown:
        shutil.copyfile(app.outdir / "_images" / name, committed / name)
    (committed / "mermaid-0123456789abcdef.svg").write_text("<svg/>", encoding="utf-8")  # a diagram since changed
    again = build(src, confoverrides={**OVERRIDES, "diagrams_committed": "_diagrams"})
    assert again.warning.getvalue() == ""
    assert sorted(path.name for path in committed.iterdir()) == shown


def test_a_build_without_cache_draws_no_committed_mermaid_diagram(app, rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-diagrams", src)
    (src / "_diagrams").mkdir()
    for svg in (app.outdir / "_images").glob("mermaid-*.svg"):
        shutil.copyfile(svg, src / "_diagrams" / svg.name)
    before = diagrams.drawn["mermaid"]
    again = build(src, confoverrides={**OVERRIDES, "diagrams_committed": "_diagrams",
                                      "diagrams_browser": str(tmp_path / "no-chromium")})  # as on Read the Docs
    assert again.warning.getvalue() == ""
    assert diagrams.drawn["mermaid"] == before
    assert sorted(p.name for p in (again.outdir / "_images").glob("mermaid-*.svg")) == sorted(
        p.name for p in (src / "_diagrams").iterdir())
