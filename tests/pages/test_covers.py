"""Covers (front matter ``cover:``; _ext/zhiyuan/pages/covers.py, posts/schema.py, posts/model.py): a
small lazy image with its size and alt text beside the post in LATEST UPDATES, the post's share
image instead of its card, copied into the output by content; a bad cover is a warning naming
file and line."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from zhiyuan.pages.latest_updates import cover_size
from zhiyuan.posts.model import post_records

from helpers import build, soup, resolve

BASE = "https://example.org/"


def _copy(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-covers", src)
    return src


def _entries(outdir):
    """Each LATEST UPDATES entry's title and its cover image (None without one)."""
    return {article.select_one(".latest-update-title").get_text(): article.select_one("img.latest-update-cover")
            for article in soup(outdir / "index.html").select("article.latest-update")}


def _meta(page, key):
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


def _set_cover(src, slug: str, value: str) -> None:
    post = src / f"posts/2025/{slug}.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("tags: t\n", f"tags: t\ncover: {value}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("covers", freshenv=True)


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_the_index_shows_each_cover_small_lazy_sized_and_with_alt_text(app):
    entries = _entries(app.outdir)
    covered, portrait = entries["有封面的文章"], entries["竖版封面的文章"]
    assert entries["没有封面的文章"] is None
    # 600×300 and 300×400 fitted into 160×120, proportions kept
    assert (covered["width"], covered["height"]) == ("160", "80")
    assert (portrait["width"], portrait["height"]) == ("90", "120")
    assert covered["alt"] == "一块蓝色的封面"  # cover_alt
    assert portrait["alt"] == "竖版封面的文章"  # the title
    for image, source in ((covered, "cover.png"), (portrait, "portrait.jpg")):
        assert image["loading"] == "lazy" and image["decoding"] == "async"
        assert image["src"].startswith("_images/covers/")
        file = resolve(app.outdir / "index.html", image["src"])
        assert file.read_bytes() == (app.srcdir / "posts/2025/figures" / source).read_bytes()


def test_cover_size_fits_the_box():
    assert cover_size(1200, 630) == (160, 84)
    assert cover_size(100, 100) == (120, 120)
    assert cover_size(5000, 10) == (160, 1)


def test_the_cover_is_the_share_image_instead_of_a_card(app):
    page = soup(app.outdir / "posts/2025/covered.html")
    url = _meta(page, "og:image")
    assert url.startswith(BASE + "_images/covers/") and url.endswith(".png")
    assert (app.outdir / url.removeprefix(BASE)).read_bytes() == (app.srcdir / "posts/2025/figures/cover.png").read_bytes()
    assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("600", "300")
    assert _meta(page, "og:image:alt") == "一块蓝色的封面"
    assert _meta(page, "twitter:card") == "summary_large_image"
    assert _meta(soup(app.outdir / "posts/2025/portrait.html"), "og:image:type") == "image/jpeg"
    # posts without a cover keep their card; only they have one
    assert _meta(soup(app.outdir / "posts/2025/plain.html"), "og:image").startswith(BASE + "_images/cards/")
    assert len(list((app.outdir / "_images/cards").iterdir())) == 1
    assert len(list((app.outdir / "_images/covers").iterdir())) == 2


def test_the_record_holds_the_cover(app):
    cover = post_records(app.env)["posts/2025/covered"].cover
    assert (cover.path, cover.alt, cover.width, cover.height) == ("posts/2025/figures/cover.png", "一块蓝色的封面", 600, 300)
    assert post_records(app.env)["posts/2025/plain"].cover is None


@pytest.mark.parametrize(("value", "says"), [
    ("figures/missing.png", "cover 'figures/missing.png' does not exist"),
    ("figures/cover.svg", "is not a PNG, JPEG, GIF or WebP image"),
    ("https://example.org/x.png", "is not a path relative to the post"),
])
def test_a_bad_cover_is_a_warning_naming_file_and_line_and_the_post_keeps_its_card(rootdir, tmp_path, value, says):
    src = _copy(rootdir, tmp_path)
    (src / "posts/2025/figures/cover.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"/>',
                                                      encoding="utf-8")
    _set_cover(src, "plain", value)
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert warnings.count("WARNING") == 1, warnings
    assert "plain.md:5" in warnings and says in warnings and "[post_frontmatter.cover]" in warnings
    assert _entries(app.outdir)["没有封面的文章"] is None
    assert _meta(soup(app.outdir / "posts/2025/plain.html"), "og:image").startswith(BASE + "_images/cards/")


def test_a_file_that_is_not_the_image_its_name_says_is_a_warning(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    (src / "posts/2025/figures/broken.png").write_bytes(b"not a png at all")
    _set_cover(src, "plain", "figures/broken.png")
    warnings = build(src, freshenv=True).warning.getvalue()
    assert "plain.md:5" in warnings and "is not an image whose size can be read" in warnings


def test_a_changed_cover_gets_a_new_address_and_the_old_file_leaves_the_output(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    first = build(src, freshenv=True)
    before = _entries(first.outdir)["有封面的文章"]["src"]
    shutil.copyfile(src / "posts/2025/figures/portrait.jpg", src / "posts/2025/figures/cover.png.jpg")
    post = src / "posts/2025/covered.md"
    post.write_text(post.read_text(encoding="utf-8").replace("figures/cover.png", "figures/cover.png.jpg"),
                    encoding="utf-8")
    second = build(src)
    assert second.warning.getvalue() == ""
    after = _entries(second.outdir)["有封面的文章"]
    # the same picture as the portrait post's: one file, the old one gone, as a clean build leaves it
    assert after["src"] != before and after["src"] == _entries(second.outdir)["竖版封面的文章"]["src"]
    assert [p.name for p in (second.outdir / "_images/covers").iterdir()] == [after["src"].rsplit("/", 1)[1]]
    # a post whose cover file changes is read again (the file is a dependency): new size, new address
    Image.new("RGB", (200, 100), "#d0ecf1").save(src / "posts/2025/figures/portrait.jpg", quality=60)
    third = build(src)
    assert third.warning.getvalue() == ""
    portrait = _entries(third.outdir)["竖版封面的文章"]
    assert (portrait["width"], portrait["height"]) == ("160", "80") and portrait["src"] != after["src"]
    assert len(list((third.outdir / "_images/covers").iterdir())) == 2
