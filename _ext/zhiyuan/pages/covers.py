"""Posts' cover images in the output: ``_images/covers/<digest>.<ext>``.

A post's front matter may name a cover (``cover: figures/cover.png``, a PNG, JPEG, GIF or
WebP file beside it; checked by :mod:`zhiyuan.posts.frontmatter`, read into the post's
record as :class:`zhiyuan.posts.model.Cover`).  LATEST UPDATES shows it beside the post's
entry and :mod:`zhiyuan.web.share_cards` shares the post with it; no page's doctree holds it,
so Sphinx, which copies the images its pages' nodes name, would not copy it.  This part does:
each cover is served under a name made of its file's digest (:func:`cover_path`), so a
changed picture gets a new address (social networks keep a picture by its URL), two posts
with the same picture share one file, and no two names clash, whatever order the posts are
read in.  When the build succeeded, ``_images/covers/`` is made to hold exactly the current
posts' covers (new ones copied, stale ones deleted), as a clean build would write it.
"""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from zhiyuan.posts.model import Cover, post_records

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

#: the folder of the output that holds the covers
FOLDER = "_images/covers"


def cover_path(cover: Cover) -> str:
    """Where *cover* is in the output, relative to it."""
    return f"{FOLDER}/{cover.digest[:16]}{PurePosixPath(cover.path).suffix.lower()}"


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Make ``_images/covers/`` hold exactly the current posts' covers."""
    if exception is not None or app.builder.format != "html":
        return
    wanted = {
        PurePosixPath(cover_path(post.cover)).name: app.env.srcdir / post.cover.path
        for post in post_records(app.env).values()
        if post.cover is not None
    }
    out = Path(app.outdir, FOLDER)
    if wanted:
        out.mkdir(parents=True, exist_ok=True)
    for name, source in sorted(wanted.items()):
        target = out / name
        # named by content: a file of that name and size is this one
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
    if out.is_dir():
        for path in out.iterdir():
            if path.name not in wanted:
                path.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.posts.model")
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
