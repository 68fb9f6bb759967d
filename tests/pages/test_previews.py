"""Hover previews (_ext/zhiyuan/pages/previews): the links that show one are marked, and each page's
file holds, for what its links can point at, a preview made from the page's own HTML — a glossary
entry with all its names and its definition, a section's title and opening, a page's, a footnote,
a numbered equation (KaTeX's HTML), a figure — with links as text, no ids, nothing that runs, and
everything an article writes escaped; incremental and parallel builds write the same files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, build, note_pids, soup
from zhiyuan import side_process
from zhiyuan.pages import previews
from zhiyuan.pages.previews import page_previews

KATEX = REPO / "node_modules" / "katex" / "dist"


@pytest.fixture(autouse=True)
def _katex_assets(monkeypatch):
    assert (KATEX / "katex.min.css").is_file(), "run `npm ci` first (nox does)"
    monkeypatch.setenv("PORTAL_KATEX_ASSETS", str(KATEX))


@pytest.fixture(scope="module")
def app(rootdir, tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTAL_KATEX_ASSETS", str(KATEX))
        src = tmp_path_factory.mktemp("previews") / "src"
        shutil.copytree(rootdir / "test-previews", src)
        return build(src, freshenv=True)


def _data(outdir: Path, page: str) -> dict:
    return json.loads(
        (outdir / "_previews" / f"{page}.json").read_text(encoding="utf-8")
    )


def _preview(outdir: Path, page: str, anchor: str) -> BeautifulSoup:
    data = _data(outdir, page)
    return BeautifulSoup(data["previews"][data["ids"][anchor]], "html.parser")


def _files(outdir: Path) -> dict[str, bytes]:
    folder = outdir / "_previews"
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*.json"))
    }


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_links_to_terms_sections_pages_footnotes_figures_and_equations_are_marked(app):
    article = soup(app.outdir / "posts/article.html")
    assert [a["href"] for a in article.select("a.zy-preview")] == [
        "../glossary.html#term-0",
        "../glossary.html#term-1",
        "other.html#other-intro",
        "other.html",
        "#note",
        "other.html#other-figure",
        "#equation-energy",
    ]
    # the glossary's own link to a section is marked too; a page without such links has none
    assert [
        a["href"] for a in soup(app.outdir / "glossary.html").select("a.zy-preview")
    ] == ["posts/other.html#other-intro"]
    assert not soup(app.outdir / "index.html").select("a.zy-preview")
    # the script and its sheet are the site's own files
    assert (app.outdir / "_static/zhiyuan-previews.js").is_file()
    assert (app.outdir / "_static/zhiyuan-previews.css").is_file()


def test_every_page_has_its_previews_file(app):
    assert sorted(_files(app.outdir)) == [
        "glossary.json",
        "index.json",
        "posts/article.json",
        "posts/other.json",
    ]


def test_a_glossary_term_shows_all_its_names_and_its_definition_with_math(app):
    for anchor in (
        "term-0",
        "term-Reward-Model",
    ):  # every name of the entry shows the entry
        preview = _preview(app.outdir, "glossary", anchor)
        title = preview.select_one("p.zy-preview-title")
        assert title.get_text() == "奖励模型 · Reward Model"
        assert title.select_one(".zy-preview-synonyms").get_text() == " · Reward Model"
        definition = preview.select("p")[1]
        assert definition.get_text().startswith("给回答打出标量分数的模型")
        # the formula is KaTeX's HTML, rendered at build time
        assert definition.select_one("span.math .katex .katex-html")
        # its link is text: a preview is not a place to click
        assert "奖励从哪里来" in definition.get_text()
        assert not preview.select("a")


def test_a_section_shows_its_title_and_opening(app):
    preview = _preview(app.outdir, "posts/other", "other-intro")
    assert [p.get_text() for p in preview.select("p")] == [
        "奖励从哪里来",
        "这一节的第一段：奖励来自人类的偏好。",
        "第一段很短，所以第二段也在预览里。",
    ]
    assert not preview.select(".headerlink")


def test_a_page_shows_its_title_and_first_paragraph(app):
    data = _data(app.outdir, "posts/other")
    assert data["ids"][""] == data["ids"]["other"]
    preview = _preview(app.outdir, "posts/other", "")
    assert [p.get_text() for p in preview.select("p")] == [
        "另一篇文章",
        "另一篇文章的开头，第一段。",
    ]


def test_a_footnote_shows_its_text_without_label_or_backlink(app):
    preview = _preview(app.outdir, "posts/article", "note")
    assert preview.get_text(" ", strip=True).startswith("脚注的内容，带公式")
    assert preview.select_one(".katex")
    assert not preview.select(".label, .backrefs, a, aside")


def test_an_equation_shows_the_formula_without_its_number_link(app):
    preview = _preview(app.outdir, "posts/article", "equation-energy")
    assert preview.select_one("div.math .katex-display .katex-html")
    assert not preview.select(".eqno, a, [id]")
    assert "E = mc^2" in preview.select_one("annotation").get_text()


def test_a_figure_shows_its_image_and_caption(app):
    preview = _preview(app.outdir, "posts/other", "other-figure")
    image = preview.select_one("figure img")
    # relative to the figure's page, as on it (the script resolves it against that page)
    assert (image["src"], image["alt"], image["width"], image["height"]) == (
        "../_images/img.svg",
        "一个方框",
        "40",
        "20",
    )
    assert "zy-zoom" not in image.get(
        "class", []
    )  # the zoom script does not reach into previews
    assert preview.select_one("figcaption").get_text(strip=True) == "图 1一个方框的图"


def test_previews_hold_no_ids_links_or_handlers(app):
    for name, raw in _files(app.outdir).items():
        for html in json.loads(raw)["previews"]:
            preview = BeautifulSoup(html, "html.parser")
            assert not preview.select("[id], a, script, .zy-preview"), (name, html)
            assert not [
                tag
                for tag in preview.find_all(True)
                if any(a.startswith("on") for a in tag.attrs)
            ]


def test_what_an_article_writes_is_escaped_in_its_preview(app):
    raw = (app.outdir / "_previews/glossary.json").read_text(encoding="utf-8")
    preview = _preview(app.outdir, "glossary", "term-1")
    text = preview.get_text()
    # text that looks like markup stays text
    assert '<script>alert("x")</script> & "引号"' in text
    assert "&lt;script&gt;alert" in raw
    # markup that reached the page (raw HTML in a page; posts show it as text) loses what runs
    assert not preview.select("script") and "alert(2)" not in text
    bold = preview.select_one("b")
    assert bold.get_text() == "HTML" and not bold.attrs
    assert "<script" not in raw and "onclick" not in raw


def test_page_previews_of_hand_made_pages():
    assert page_previews("") == {"ids": {}, "previews": []}
    body = (
        '<section id="a"><span id="b"></span><h1>T<a class="headerlink" href="#a">#</a></h1>'
        '<div class="meta">x</div><p>first</p><p>second</p>'
        '<section id="c"><h2>Sub</h2><pre>code</pre><p class="rubric">not prose</p></section>'
        '<p id="p">A <a href="#c" onmouseover="x()">link</a><!-- note --></p></section>'
    )
    data = page_previews(body)
    assert data["ids"] == {"a": 0, "b": 0, "c": 1, "p": 2, "": 0}
    assert data["previews"] == [
        '<p class="zy-preview-title">T</p><p>first</p><p>second</p>',
        '<p class="zy-preview-title">Sub</p>',
        "<p>A <span>link</span></p>",
    ]


def test_an_incremental_build_writes_what_a_clean_one_does(rootdir, tmp_path):
    src = tmp_path / "incremental"
    shutil.copytree(rootdir / "test-previews", src)
    first = build(src, freshenv=True)
    before = _files(first.outdir)
    stamps = {
        name: (first.outdir / "_previews" / name).stat().st_mtime_ns for name in before
    }
    glossary = src / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("标量分数", "一个分数"),
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        (src / "index.md").read_text(encoding="utf-8").replace("posts/article\n", ""),
        encoding="utf-8",
    )
    (src / "posts/article.md").unlink()
    incremental = build(src)
    assert incremental.warning.getvalue().count("WARNING") == 0
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build(clean_src, freshenv=True)
    after = _files(incremental.outdir)
    assert after == _files(clean.outdir)
    assert (
        "posts/article.json" not in after
    )  # the removed document's previews went with its page
    assert "一个分数" in after["glossary.json"].decode()
    # what did not change was not written again
    assert (incremental.outdir / "_previews/index.json").stat().st_mtime_ns == stamps[
        "index.json"
    ]


def test_a_parallel_build_writes_the_same_files(rootdir, tmp_path):
    serial_src, parallel_src = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(rootdir / "test-previews", serial_src)
    shutil.copytree(rootdir / "test-previews", parallel_src)
    serial = build(serial_src, freshenv=True)
    parallel = build(parallel_src, freshenv=True, parallel=2)
    assert parallel.warning.getvalue() == ""
    assert _files(parallel.outdir) == _files(serial.outdir)


# -- beside the build ------------------------------------------------------------


def test_a_batch_of_pages_has_its_previews_made_beside_the_build(
    app, rootdir, tmp_path, monkeypatch
):
    log = tmp_path / "pids"
    note_pids(monkeypatch, previews, "page_previews", log)
    monkeypatch.setattr(previews, "_BATCH", 2)  # the root's four pages: two batches
    src = tmp_path / "beside"
    shutil.copytree(rootdir / "test-previews", src)
    beside = build(src, freshenv=True)
    assert beside.warning.getvalue() == ""
    pids = log.read_text(encoding="ascii").split()
    assert len(pids) == 4 and str(os.getpid()) not in pids
    assert _files(beside.outdir) == _files(app.outdir)  # there when the build returns, the same
    for pid in set(pids):  # reaped by the build
        with pytest.raises(ChildProcessError):
            os.waitpid(int(pid), os.WNOHANG)


def test_a_few_pages_at_the_end_have_their_previews_made_in_the_build(
    rootdir, tmp_path, monkeypatch
):
    log = tmp_path / "pids"
    note_pids(monkeypatch, previews, "page_previews", log)
    src = tmp_path / "few"
    shutil.copytree(rootdir / "test-previews", src)
    build(src, freshenv=True)  # four pages, fewer than a batch
    assert log.read_text(encoding="ascii").split() == [str(os.getpid())] * 4


@pytest.mark.parametrize("where", ["fork", "no fork", "in the build"])
def test_previews_that_cannot_be_made_are_a_warning_naming_the_page(
    rootdir, tmp_path, monkeypatch, where
):
    real = previews.page_previews

    def failing(body):
        if "../glossary.html#term-0" in body:  # the article's page
            raise ValueError("a body that cannot be read")
        return real(body)

    monkeypatch.setattr(previews, "page_previews", failing)
    if where != "in the build":  # (else four pages, fewer than a batch: made at the end, in the build)
        monkeypatch.setattr(previews, "_BATCH", 1)
    if where == "no fork":
        monkeypatch.setattr(side_process, "available", lambda: False)
    src = tmp_path / "failing"
    shutil.copytree(rootdir / "test-previews", src)
    failed = build(src, freshenv=True)
    warnings = failed.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[previews.write]" in warnings, warnings
    assert "the hover previews could not be made" in warnings
    assert "ValueError: a body that cannot be read" in warnings
    assert "(the previews of posts/article)" in warnings
    assert "\n" not in warnings.rstrip("\n")  # one line
