"""Figures (_ext/zhiyuan/pages/figures): each document outside the toctree numbered on its own
(图 1 …, {numref}), alt text required (a warning naming file and line), width/height from the
file, lazy loading, the zoom class; the size of each image format read from its header."""

from __future__ import annotations

import shutil
import struct

import pytest
from helpers import build, soup
from zhiyuan.pages.figures.sizes import image_size


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("figures")


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_each_post_numbers_its_figures_from_one(app):
    first = soup(app.outdir / "posts/first.html")
    assert [c.get_text(strip=True) for c in first.select("figcaption .caption-number")] == ["图 1", "图 2"]
    second = soup(app.outdir / "posts/second.html")
    assert [c.get_text(strip=True) for c in second.select("figcaption .caption-number")] == ["图 1"]
    # a document of the toctree keeps Sphinx's own numbering
    home = soup(app.outdir / "index.html")
    assert [c.get_text(strip=True) for c in home.select("figcaption .caption-number")] == ["图 1"]


def test_numref_shows_the_number_and_links_the_figure(app):
    refs = soup(app.outdir / "posts/first.html").select("a.reference.internal span.std-numref")
    assert [(r.get_text(), r.parent["href"]) for r in refs] == [("图 1", "#fig-arch"), ("点图 2", "#fig-dot")]
    again = soup(app.outdir / "posts/second.html").select_one("span.std-numref")
    assert (again.get_text(), again.parent["href"]) == ("图 1", "#fig-again")


def test_images_have_their_size_lazy_loading_and_zoom(app):
    images = soup(app.outdir / "posts/first.html").select("img")
    sizes = [(img["src"], img["width"], img["height"]) for img in images]
    assert sizes == [("../_images/arch.svg", "360", "80"), ("../_images/dot.png", "3", "2"),
                     ("../_images/arch.svg", "360", "80"), ("../_images/dot.png", "3", "2")]
    assert all(img["loading"] == "lazy" and img["decoding"] == "async" for img in images)
    assert [img["alt"] for img in images][:2] == ["三个方框由箭头连成一条流水线：读取、处理、写出", "一个红色像素"]
    # an image that is a link follows the link instead of zooming
    assert ["zy-zoom" in img.get("class", []) for img in images] == [True, True, True, False]
    assert (app.outdir / "_static/zhiyuan-figures.js").is_file()
    assert (app.outdir / "_static/zhiyuan-figures.css").is_file()


def test_sphinx_numbers_its_toctree_again_only_when_one_of_its_documents_changed(rootdir, tmp_path, monkeypatch):
    from sphinx.environment.collectors.toctree import TocTreeCollector

    walks = []
    assign = TocTreeCollector.assign_figure_numbers
    monkeypatch.setattr(TocTreeCollector, "assign_figure_numbers",
                        lambda self, env: walks.append(env.config.root_doc) or assign(self, env))
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-figures", src)

    def numbers(page):
        return [c.get_text(strip=True) for c in soup(src / "_build/html" / page).select("figcaption .caption-number")]

    build(src, freshenv=True)
    assert len(walks) == 1
    post = src / "posts/second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    app = build(src)  # a post outside the toctree: Sphinx's numbers are the last build's
    assert len(walks) == 1 and app.warning.getvalue() == ""
    assert numbers("index.html") == ["图 1"] and numbers("posts/second.html") == ["图 1"]
    assert app.env.toc_fignumbers["index"] == {"figure": {"fig-home": (1,)}}
    home = src / "index.md"
    home.write_text(home.read_text(encoding="utf-8").replace(
        ":::{figure}", ":::{figure} img/dot.png\n:name: fig-first\n:alt: 一个红色像素\n\n先来的图\n:::\n\n:::{figure}", 1),
        encoding="utf-8")
    app = build(src)  # a document of the toctree: numbered again
    assert len(walks) == 2 and app.warning.getvalue() == ""
    assert numbers("index.html") == ["图 1", "图 2"]
    assert app.env.toc_fignumbers["index"] == {"figure": {"fig-first": (1,), "fig-home": (2,)}}
    assert numbers("posts/first.html") == ["图 1", "图 2"]


def test_an_image_without_alt_text_is_a_warning_naming_file_and_line(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-figures", src)
    (src / "posts/bare.md").write_text(
        "---\norphan: true\n---\n\n# 没有替代文字\n\n正文。\n\n![](../img/dot.png)\n\n"
        ":::{figure} ../img/arch.svg\n:name: fig-bare\n\n只有标题\n:::\n",
        encoding="utf-8",
    )
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue().splitlines()
    alt = [line for line in warnings if "[figures.alt]" in line]
    assert len(alt) == 2, warnings
    assert "bare.md:9" in alt[0] and "'img/dot.png' has no alt text" in alt[0]
    assert "bare.md:11" in alt[1] and "'img/arch.svg'" in alt[1]


def test_a_missing_image_file_is_sphinxs_warning_only(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-figures", src)
    (src / "posts/missing.md").write_text(
        "---\norphan: true\n---\n\n# 缺图\n\n![不存在的图](../img/nowhere.png)\n", encoding="utf-8")
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert "[image.not_readable]" in warnings
    assert "figures." not in warnings


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 480) + b"\x08\x02\x00\x00\x00", (640, 480)),
        ("a.gif", b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00" * 8, (32, 16)),
        # SOI, an APP0 segment, then a baseline frame header (height before width)
        ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                  b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", 300, 400) + b"\x03" + b"\x00" * 9, (400, 300)),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00"
                   + (99).to_bytes(3, "little") + (49).to_bytes(3, "little"), (100, 50)),
        ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60px"/>', (120, 60)),
        ("b.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300.5 100"/>', (300, 100)),
        ("c.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,40,20"/>', (40, 20)),
        ("d.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="80" viewBox="0 0 40 20"/>', (80, 40)),
        ("e.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10em" height="5em"/>', None),
        ("f.svg", b"<svg", None),
        ("a.bmp", b"BM" + b"\x00" * 30, None),
        ("empty.png", b"", None),
    ],
)
def test_image_size_from_the_file_header(tmp_path, name, data, size):
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == size
