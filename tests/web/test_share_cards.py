"""Share cards (_ext/zhiyuan/web/share_cards/): each post's 1200×630 PNG with its category, title
and the site's name, drawn once per content, in the og:image and Twitter tags of its page."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageColor

from zhiyuan import caches, side_process
from zhiyuan.web import share_cards
from zhiyuan.web.share_cards import draw
from zhiyuan.web.share_cards.draw import Fonts, _font, draw_card, wrap

from helpers import build, note_pids, soup

BASE = "https://example.org/zh-cn/latest/"
HOSTILE_TITLE = """</script><script>alert("x")</script> "引号" & 'Q' <!-- 与 Q&A"""
NOTO = Path("/usr/share/fonts/opentype/noto")
FONTS = Fonts(str(NOTO / "NotoSansCJK-Regular.ttc"), str(NOTO / "NotoSansCJK-Bold.ttc"), 2, 2)


def _meta(page, key):
    tag = page.select_one(f'meta[property="{key}"]') or page.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


def _copy(rootdir, folder: Path) -> Path:
    src = folder / "src"
    shutil.copytree(rootdir / "test-share", src)
    return src


def _cards(outdir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((outdir / "_images/cards").glob("*"))}


def _cached(app) -> dict[str, tuple[int, int]]:
    """The cards in *app*'s cache folder: each file's inode and modification time (a card drawn
    again is a new file: it is written beside its place, then renamed over it)."""
    folder = caches.path(app.doctreedir, "share_cards")
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in sorted(folder.glob("*.png"))}


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("share", freshenv=True)


# -- drawing -------------------------------------------------------------------


def test_chinese_titles_break_between_characters_but_never_before_a_closing_mark():
    font = _font(FONTS.bold, FONTS.bold_index, 68)
    lines = wrap("强化学习：从基本概念到贝尔曼方程、值迭代与策略迭代（附代码）", font, 500)
    assert len(lines) > 1 and "".join(lines) == "强化学习：从基本概念到贝尔曼方程、值迭代与策略迭代（附代码）"
    assert all(font.getlength(line) <= 500 for line in lines)
    assert not any(line[0] in "，。、：；！？）」" for line in lines[1:])
    assert not any(line[-1] in "（「" for line in lines)


def test_latin_words_stay_whole_and_a_word_wider_than_a_line_is_cut():
    font = _font(FONTS.bold, FONTS.bold_index, 68)
    lines = wrap("DistributedDataParallel 快速上手：进程组、DistributedSampler 与 torchrun 启动", font, 900)
    assert len(lines) > 1 and all(font.getlength(line) <= 900 for line in lines)
    for word in ("DistributedDataParallel", "DistributedSampler", "torchrun"):
        assert any(word in line for line in lines), word
    lines = wrap("A" * 60, font, 400)
    assert "".join(lines) == "A" * 60 and all(font.getlength(line) <= 400 for line in lines)


def test_a_card_is_a_1200_by_630_png_the_same_bytes_every_time():
    png = draw_card("DPO：从 RLHF 三阶段到闭式偏好目标", ("Large Model",), "知源", "example.org", FONTS)
    assert png == draw_card("DPO：从 RLHF 三阶段到闭式偏好目标", ("Large Model",), "知源", "example.org", FONTS)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "P")
    assert not image.info.keys() - {"dpi", "transparency"}  # no date, software or path in the file
    assert len(png) < 40_000


def _between(colour, ink, ground) -> bool:
    """Whether *colour* is a blend of *ink* over *ground* (within a unit of rounding)."""
    return any(all(abs(c - (g + (i - g) * step / 255)) <= 1 for c, i, g in zip(colour, ink, ground))
               for step in range(256))


def test_a_card_holds_its_colours_and_the_blends_of_each_text_over_its_ground():
    colours = draw.Colours()
    text_over_ground = [(ImageColor.getrgb(ink), ImageColor.getrgb(ground)) for ink, ground in (
        (colours.title, colours.background), (colours.muted, colours.background),
        (colours.primary, colours.background), (colours.chip_text, colours.chip))]
    png = draw_card("DPO：从 RLHF 三阶段到闭式偏好目标", ("Large Model",), "知源", "example.org", FONTS)
    shown = {rgb for _, rgb in Image.open(io.BytesIO(png)).convert("RGB").getcolors()}
    # no colour of a quantiser's choosing: each one is a text's, a ground's or a blend of the two
    assert all(any(_between(rgb, *pair) for pair in text_over_ground) for rgb in shown)
    # and the text is antialiased: its edges take many steps between its colour and its ground
    for ink, ground in text_over_ground:
        assert len({rgb for rgb in shown if _between(rgb, ink, ground)} - {ink, ground}) >= 8


def test_a_title_too_long_for_three_lines_is_cut_with_an_ellipsis():
    font = _font(FONTS.bold, FONTS.bold_index, 52)  # the smallest size
    lines = draw._title_lines("很长的标题" * 40, FONTS)[1]
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1200 - 2 * 80 for line in lines)
    assert Image.open(io.BytesIO(draw_card("很长的标题" * 40, (), "知源", "", FONTS))).size == (1200, 630)


# -- on a site -------------------------------------------------------------------


def test_builds_without_warnings(app):
    assert app.warning.getvalue() == ""


def test_every_post_has_its_card_as_og_image(app):
    for slug in ("plain", "hostile"):
        page = soup(app.outdir / f"posts/2025/{slug}.html")
        url = _meta(page, "og:image")
        assert url.startswith(BASE + "_images/cards/") and url.endswith(".png"), url
        file = app.outdir / url.removeprefix(BASE)
        assert Image.open(file).size == (1200, 630)
        assert (_meta(page, "og:image:width"), _meta(page, "og:image:height")) == ("1200", "630")
        assert _meta(page, "og:image:type") == "image/png"
        assert _meta(page, "twitter:card") == "summary_large_image"
    # one card per post, nothing else in the folder
    assert len(_cards(app.outdir)) == 2


def test_the_image_alt_text_is_the_title_escaped(app):
    path = app.outdir / "posts/2025/hostile.html"
    page = soup(path)
    assert _meta(page, "og:image:alt") == HOSTILE_TITLE
    head = path.read_text(encoding="utf-8").split("</head>")[0]
    assert "<script>alert" not in head and "<!--" not in head.split("<title>")[1]


def test_pages_without_an_image_keep_the_summary_card(app):
    page = soup(app.outdir / "index.html")
    assert _meta(page, "og:image") is None
    assert _meta(page, "twitter:card") == "summary"


def test_an_unchanged_post_is_not_drawn_again_and_a_changed_title_replaces_its_card(rootdir, tmp_path):
    src = _copy(rootdir, tmp_path)
    before = share_cards.drawn["cards"]
    first = build(src, freshenv=True)
    assert share_cards.drawn["cards"] - before == 2
    cards = _cards(first.outdir)

    cached = _cached(first)
    assert len(cached) == 2

    post = src / "posts/2025/plain.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n又一段正文。\n", encoding="utf-8")
    before = share_cards.drawn["cards"]
    second = build(src)
    assert second.warning.getvalue() == ""
    assert share_cards.drawn["cards"] == before  # the text changed, not the card
    assert _cached(second) == cached  # (neither in the build nor beside it)
    assert _cards(second.outdir) == cards

    post.write_text(post.read_text(encoding="utf-8").replace("# 普通文章", "# 改过标题的文章"), encoding="utf-8")
    third = build(src)
    assert share_cards.drawn["cards"] == before + 1
    now = _cards(third.outdir)
    assert len(now) == 2 and len(set(now) & set(cards)) == 1  # the old card is gone, as a clean build has it
    url = _meta(soup(third.outdir / "posts/2025/plain.html"), "og:image")
    assert url.removeprefix(BASE + "_images/cards/") in now
    kept = set(_cached(third)) & set(cached)
    assert len(kept) == 1 and {name: _cached(third)[name] for name in kept} == {name: cached[name] for name in kept}

    # a new output folder with the same doctree folder: copied from the cache, not drawn
    before = share_cards.drawn["cards"]
    cached = _cached(third)
    shutil.rmtree(third.outdir)
    fourth = build(src)
    assert share_cards.drawn["cards"] == before and _cards(fourth.outdir) == now
    assert _cached(fourth) == cached


def test_the_font_files_found_are_kept_while_they_are_unchanged(rootdir, tmp_path, monkeypatch):
    """A retitled post's card is drawn without looking the font up again (Matplotlib's import),
    but a font file that changed since is looked up anew."""
    src = _copy(rootdir, tmp_path)
    assert build(src, freshenv=True).warning.getvalue() == ""
    lookups = []
    real = share_cards._font_faces
    monkeypatch.setattr(share_cards, "_font_faces", lambda family: lookups.append(family) or real(family))
    post = src / "posts/2025/plain.md"
    post.write_text(post.read_text(encoding="utf-8").replace("# 普通文章", "# 改过标题的文章"), encoding="utf-8")
    before = share_cards.drawn["cards"]
    second = build(src)
    assert second.warning.getvalue() == ""
    assert share_cards.drawn["cards"] == before + 1 and lookups == []

    record = caches.path(second.doctreedir, share_cards._FONTS_FOUND)
    family, fonts, stamps = caches.read(record)
    caches.write(record, (family, fonts, (None, *stamps[1:])))  # as if the regular face had changed
    post.write_text(post.read_text(encoding="utf-8").replace("# 改过标题的文章", "# 再改一次标题"), encoding="utf-8")
    third = build(src)
    assert third.warning.getvalue() == ""
    assert share_cards.drawn["cards"] == before + 2 and lookups == [family]
    assert caches.read(record)[2] == stamps


def test_two_folders_draw_the_same_cards(rootdir, tmp_path):
    one = build(_copy(rootdir, tmp_path / "one"), freshenv=True)
    two = build(_copy(rootdir, tmp_path / "two"), freshenv=True)
    assert _cards(one.outdir) == _cards(two.outdir)


def test_a_missing_font_is_one_warning_and_posts_get_no_image(rootdir, tmp_path):
    app = build(_copy(rootdir, tmp_path), freshenv=True, confoverrides={"share_cards_font": "No Such Font 42"})
    warnings = app.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[share_cards.font]" in warnings and "No Such Font 42" in warnings
    page = soup(app.outdir / "posts/2025/plain.html")
    assert _meta(page, "og:image") is None and _meta(page, "twitter:card") == "summary"
    assert not (app.outdir / "_images/cards").exists()


# -- beside the build ------------------------------------------------------------


def test_cards_are_drawn_beside_the_build_and_there_when_it_returns(rootdir, tmp_path, monkeypatch):
    log = tmp_path / "pids"
    note_pids(monkeypatch, share_cards, "draw_card", log)
    app = build(_copy(rootdir, tmp_path), freshenv=True)
    assert app.warning.getvalue() == ""
    pids = set(log.read_text(encoding="ascii").split())
    assert len(pids) == 1 and str(os.getpid()) not in pids  # one other process drew both
    assert len(_cards(app.outdir)) == 2  # waited for, copied
    for slug in ("plain", "hostile"):
        url = _meta(soup(app.outdir / f"posts/2025/{slug}.html"), "og:image")
        assert (app.outdir / url.removeprefix(BASE)).is_file()
    # the side process is gone: reaped by the build, not left to the test's process
    with pytest.raises(ChildProcessError):
        os.waitpid(int(pids.pop()), os.WNOHANG)


def test_without_fork_cards_are_drawn_in_the_build_the_same(rootdir, tmp_path, monkeypatch):
    beside = build(_copy(rootdir, tmp_path / "beside"), freshenv=True)
    log = tmp_path / "pids"
    note_pids(monkeypatch, share_cards, "draw_card", log)
    monkeypatch.setattr(side_process, "available", lambda: False)
    here = build(_copy(rootdir, tmp_path / "here"), freshenv=True)
    assert here.warning.getvalue() == ""
    assert log.read_text(encoding="ascii").split() == [str(os.getpid())] * 2
    assert _cards(here.outdir) == _cards(beside.outdir) and len(_cards(here.outdir)) == 2


@pytest.mark.parametrize("fork", [True, False])
def test_a_card_that_cannot_be_drawn_is_a_warning_naming_its_post(rootdir, tmp_path, monkeypatch, fork):
    real = share_cards.draw_card

    def failing(title, *args, **kwargs):
        if title.startswith("普通文章"):
            raise OSError("the glyph cache is full")
        return real(title, *args, **kwargs)

    monkeypatch.setattr(share_cards, "draw_card", failing)
    if not fork:
        monkeypatch.setattr(side_process, "available", lambda: False)
    app = build(_copy(rootdir, tmp_path), freshenv=True)
    warnings = app.warning.getvalue()
    assert warnings.count("WARNING") == 1 and "[share_cards.draw]" in warnings, warnings
    assert "the share cards could not be drawn" in warnings and "OSError: the glyph cache is full" in warnings
    assert "(the card of posts/2025/plain)" in warnings
    assert "\n" not in warnings.rstrip("\n")  # one line


# ablog is not parallel-safe (Sphinx would fall back to a serial read and say so): leave it out here
# (without it, the posts are in no toctree)
_WITHOUT_ABLOG = {"extensions": ["myst_parser", "zhiyuan.pages.latest_updates", "zhiyuan.web.social_meta"],
                  "suppress_warnings": ["toc.not_included"]}


def test_a_parallel_build_draws_the_same_cards_and_shares_them(rootdir, tmp_path):
    serial = build(_copy(rootdir, tmp_path / "serial"), freshenv=True, confoverrides=_WITHOUT_ABLOG)
    parallel = build(_copy(rootdir, tmp_path / "parallel"), freshenv=True, parallel=2, confoverrides=_WITHOUT_ABLOG)
    assert serial.warning.getvalue() == "" and parallel.warning.getvalue() == ""
    cards = _cards(parallel.outdir)
    assert len(cards) == 2 and cards == _cards(serial.outdir)
    for slug in ("plain", "hostile"):
        url = _meta(soup(parallel.outdir / f"posts/2025/{slug}.html"), "og:image")
        assert url.removeprefix(BASE + "_images/cards/") in cards
