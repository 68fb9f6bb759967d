"""Each post's share image: its cover, or a card drawn at build time with its title.

A link to a post shared in a chat or on a social network is shown with the picture its
``og:image`` names (:mod:`zhiyuan.web.social_meta` writes the tags, :mod:`zhiyuan.web.json_ld`
names it in the post's structured data).  That picture is

* the post's **cover** (front matter ``cover:``, :class:`zhiyuan.posts.model.Cover`), when
  it has one, at its own size; or else
* its **card**: a 1200×630 PNG with the post's category, its title in Noto Sans CJK
  (``share_cards_font``; Debian ``fonts-noto-cjk``) and the site's name and address, in the
  theme's colours (:mod:`.draw`).

Covers are served from ``_images/covers/`` (:mod:`zhiyuan.pages.covers`), cards from
``_images/cards/``, each named by a digest of what it shows (a cover: its file; a card: its
text, font and look), so a changed picture gets a new address and social networks, which
keep a picture by its URL, fetch it again.

**Cached by content.**  Cards are drawn once all posts are read (``env-updated``), those not
yet in our cache folder only (:mod:`zhiyuan.caches`): an unchanged post's card is not drawn
again, a clean build with the doctree folder of an earlier one draws none, and a change to
our code empties the cache.

**Drawn beside the build.**  What a card shows is known once the posts are read, and no page
needs its bytes, only its name: the missing cards are drawn in a fork of the build
(:mod:`zhiyuan.side_process`), on the other core while Sphinx writes the pages (*nice*: it
yields to the build), and the build waits for it when it is done (``build-finished``); a card
that fails to draw is the warning ``share_cards.draw``, naming the post.  Where there is no
``fork``, they are drawn in the build, at ``env-updated``.  When the build succeeded,
``_images/cards/`` is made to hold exactly the current posts' cards (new ones copied, stale
ones deleted), so an incremental build leaves what a clean one writes.

**Why not sphinxext-opengraph's cards.**  Its ``ogp_social_cards`` (Matplotlib) would need a
patch of nearly every function of its ``_social_cards.py`` here: the size is fixed at
1146×600 (the figure's size, and the ``og:image:width`` / ``height`` it writes); Matplotlib
wraps text only at spaces, so a Chinese title runs off the card; a card shows no category;
its description is opengraph's own, not the site's excerpt; it keeps its Matplotlib figure on
the environment, which is pickled after every build; it never deletes the card of a changed
title; and it draws Sphinx's logo in the corner.  We keep its card off
(``ogp_social_cards = {"enable": False}``) and hand it our picture through its per-page
``og:image`` field, a public seam.

The font's files are found as plots find theirs, through Matplotlib's index of the system's
fonts, and the files found are kept in our cache folder while their size and time hold, so a
build that draws one card does not import Matplotlib.  A font that is not installed is one
warning (``share_cards.font``), and posts without a cover then have no share image.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx.util import logging

from zhiyuan import caches, config, side_process
from zhiyuan.pages.covers import cover_path
from zhiyuan.posts.model import Post, post_records
from zhiyuan.web.share_cards import draw
from zhiyuan.web.share_cards.draw import HEIGHT, WIDTH, Colours, Fonts, draw_card

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

#: the folder of the output that holds the cards
FOLDER = "_images/cards"
_CACHE = "share_cards"
_FONTS_FOUND = "share_cards_fonts.pickle"  # in our caches folder: the font files found, see _fonts
_LOCK = "share_cards.lock"  # in our caches folder: held while cards are drawn beside the build
_JOB = "_share_cards_job"  # on the builder: the side process drawing this build's cards
_DRAWING = "_share_cards_drawing"  # on the builder: the keys of the cards it draws
_NICE = 10  # the cards are waited for only at the end: the pages come first

#: cards this process drew or had drawn beside it (tests read it: an unchanged post's card is
#: not drawn again)
drawn = {"cards": 0}


@dataclass(frozen=True)
class ShareImage:
    """The picture a post is shared with: where it is in the output, its size and its alt text."""

    #: the file in the output, relative to it (``_images/cards/<digest>.png``, ``_images/covers/…``)
    path: str
    width: int
    height: int
    alt: str
    #: ``image/png``, ``image/jpeg`` …
    mime: str


_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp"}


def site_name(app: Sphinx) -> str:
    """The site's name as shared links show it (``ogp_site_name``, else ``project``)."""
    name = getattr(app.config, "ogp_site_name", None)
    return name if isinstance(name, str) else app.config.project or ""


def _host(app: Sphinx) -> str:
    return urlsplit(app.config.html_baseurl or "").netloc


@functools.cache
def _drawing() -> tuple[str, str, str]:
    """How cards are drawn: our drawing code (its digest) and the versions of Pillow and uniseg."""
    return hashlib.sha256(Path(draw.__file__).read_bytes()).hexdigest(), version("pillow"), version("uniseg")


def card_key(app: Sphinx, post: Post) -> str:
    """A digest of everything the card of *post* shows and how it is drawn: a card that would
    look different gets another name, so social networks fetch it again."""
    inputs = [post.title, post.categories, site_name(app), _host(app), app.config.share_cards_font,
              Colours(), _drawing()]
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def _cache(app: Sphinx) -> Path:
    return caches.path(app.doctreedir, _CACHE)


def share_image(app: Sphinx, docname: str) -> ShareImage | None:
    """The picture the post *docname* is shared with: its cover, or its card once drawn; None
    for a page that is not a post (or a post whose card could not be drawn)."""
    post = post_records(app.env).get(docname)
    if post is None:
        return None
    if post.cover is not None:
        path = cover_path(post.cover)
        return ShareImage(path, post.cover.width, post.cover.height, post.cover.alt,
                          _MIME[PurePosixPath(path).suffix])
    key = card_key(app, post)
    if key not in getattr(app.builder, _DRAWING, ()) and not (_cache(app) / f"{key}.png").is_file():
        return None
    return ShareImage(f"{FOLDER}/{key[:16]}.png", WIDTH, HEIGHT, post.title, "image/png")


def _font_faces(family: str) -> Fonts | None:
    """The files (and faces in a collection) of *family*'s regular and bold weights, or None
    if it is not installed."""
    # Matplotlib's index of the system's fonts, as plots find theirs
    from matplotlib import font_manager
    from PIL import ImageFont

    found = []
    for weight in ("normal", "bold"):
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family, weight=weight),
                                         fallback_to_default=False)
        except ValueError:
            return None
        for index in range(64):  # the face of a collection (.ttc) that is *family*
            try:
                face = ImageFont.truetype(path, 10, index=index)
            except OSError:
                return None
            if face.getname()[0] == family:
                found.append((str(path), index))  # a plain str: Matplotlib returns its own subclass
                break
        else:
            return None
    (regular, regular_index), (bold, bold_index) = found
    return Fonts(regular, bold, regular_index, bold_index)


def _stamps(fonts: Fonts) -> tuple[tuple[int, int] | None, ...]:
    """Size and time of *fonts*' files (None for a file that is gone)."""
    stamps = []
    for path in (fonts.regular, fonts.bold):
        try:
            found = Path(path).stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((found.st_size, found.st_mtime_ns))
    return tuple(stamps)


def _fonts(app: Sphinx) -> Fonts | None:
    """:func:`_font_faces` of ``share_cards_font``, kept in our cache folder while the files it
    found are unchanged: finding them imports Matplotlib, a third of a second of a build that
    draws one card (a post retitled or added) — more than drawing it."""
    family = app.config.share_cards_font
    record = caches.path(app.doctreedir, _FONTS_FOUND)
    kept = caches.read(record)
    if (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == family and isinstance(kept[1], Fonts)
            and kept[2] == _stamps(kept[1])):
        return kept[1]
    fonts = _font_faces(family)
    if fonts is not None:
        caches.write(record, (family, fonts, _stamps(fonts)))
    return fonts


def _cards(app: Sphinx) -> dict[str, Path]:
    """The current posts' cards: each one's name in ``_images/cards/`` and its file in the cache."""
    cards: dict[str, Path] = {}
    for post in post_records(app.env).values():
        if post.cover is None:
            key = card_key(app, post)
            cards[f"{key[:16]}.png"] = _cache(app) / f"{key}.png"
    return cards


@dataclass(frozen=True)
class _Card:
    """A card to draw: the post it belongs to, its key (its file's name) and what it shows."""

    docname: str
    key: str
    title: str
    categories: tuple[str, ...]


def _draw_cards(folder: Path, cards: list[_Card], site: str, host: str, fonts: Fonts) -> None:
    """Draw *cards* into *folder*, each file whole or not at all; an error names its post."""
    folder.mkdir(parents=True, exist_ok=True)
    for card in cards:
        try:
            png = draw_card(card.title, card.categories, site, host, fonts)
        except Exception as error:
            error.add_note(f"(the card of {card.docname})")
            raise
        target = folder / f"{card.key}.png"
        partial = target.with_suffix(".tmp")
        partial.write_bytes(png)
        partial.replace(target)


def _report(problem: str) -> None:
    logger.warning("the share cards could not be drawn: %s", " ".join(problem.split("\n")),
                   type="share_cards", subtype="draw")


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Start drawing the card of every post without a cover whose card is not in the cache yet,
    beside the build (where there is no fork: draw them now)."""
    if app.builder.format != "html":
        return
    folder = _cache(app)
    missing = []
    for docname in sorted(post_records(env)):
        post = post_records(env)[docname]
        if post.cover is not None:
            continue
        key = card_key(app, post)
        if not (folder / f"{key}.png").is_file():
            missing.append(_Card(docname, key, post.title, post.categories))
    if not missing:
        return
    fonts = _fonts(app)
    if fonts is None:
        logger.warning(
            "the share cards' font %r is not installed (Debian: apt-get install fonts-noto-cjk); "
            "posts without a cover get no share image",
            app.config.share_cards_font, type="share_cards", subtype="font",
        )
        return
    drawn["cards"] += len(missing)
    work = functools.partial(_draw_cards, folder, missing, site_name(app), _host(app), fonts)
    job = side_process.start_or_run(work, lock=caches.path(app.doctreedir, _LOCK), nice=_NICE, failed=_report)
    if job is None:
        return
    setattr(app.builder, _JOB, job)
    setattr(app.builder, _DRAWING, frozenset(card.key for card in missing))


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the cards drawn beside the build and say if they failed; make ``_images/cards/``
    hold exactly the current posts' cards; forget stale ones."""
    job = getattr(app.builder, _JOB, None)
    if job is not None:
        setattr(app.builder, _JOB, None)
        setattr(app.builder, _DRAWING, frozenset())
        problem = side_process.finish(job)
        if problem and exception is None:
            _report(problem)
    if exception is not None or app.builder.format != "html":
        return
    cards = {name: file for name, file in _cards(app).items() if file.is_file()}
    out = Path(app.outdir, FOLDER)
    if cards:
        out.mkdir(parents=True, exist_ok=True)
    for name, source in sorted(cards.items()):
        target = out / name
        # named by content: a file of that name and size is this one
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
    if out.is_dir():
        for path in out.iterdir():
            if path.name not in cards:
                path.unlink()
    folder = _cache(app)
    if folder.is_dir():
        kept = {file.name for file in cards.values()}
        for path in folder.iterdir():
            if path.name not in kept:
                path.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("zhiyuan.posts.model")
    app.setup_extension("zhiyuan.pages.covers")
    config.declare(app, __name__)
    app.connect("env-updated", _on_env_updated)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
