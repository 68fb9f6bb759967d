"""When each page last changed, from git: sphinx-last-updated-by-git, safe where git cannot say.

sphinx-last-updated-by-git asks git, after reading, for the date of the last commit that
changed each document read (or a file it includes), and gives it to the theme
(``html_last_updated_fmt``) and to a ``<meta property="article:modified_time">`` tag;
:mod:`zhiyuan.pages.post_extras` shows it under a post's title as 「最后更新 YYYY-MM-DD」
(:func:`last_updated`).  Out of the box it warns — which fails a ``-W`` build — where git
cannot answer, so at ``config-inited`` this part checks what git can tell:

* no ``git`` program, or sources that are not in a git repository with a commit (a tarball,
  a copy, an export): git is not asked at all (every document matches
  ``git_exclude_patterns``) and pages show no date;
* a shallow clone (Read the Docs clones shallowly unless told otherwise): a document whose
  last change is older than the clone's oldest commit has no known date; the extension's
  warning for it (``git.too_shallow``) is silenced and that page shows no date, while the
  others show theirs.

Either case is said once in the build log.  A file git does not track simply has no date.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from zhiyuan.compat import sphinx_last_updated_by_git
from zhiyuan.posts.fields import site_timezone

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"

logger = logging.getLogger(__name__)


def _git(folder: str, *arguments: str) -> str | None:
    """What ``git *arguments*`` prints in *folder*, or None if it fails."""
    try:
        result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _on_config_inited(app: Sphinx, config: Config) -> None:
    """Leave git alone where it cannot date the sources; expect no date for a shallow clone's oldest files."""
    srcdir = str(app.srcdir)
    if shutil.which("git") is None:
        reason = "git is not installed"
    elif _git(srcdir, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        reason = "the sources are not in a git repository with a commit"
    else:
        reason = None
    if reason is not None:
        # a new list: the default value object is shared by every Sphinx app in a process
        config.git_exclude_patterns = [*config.git_exclude_patterns, "**"]
        logger.info("pages show no last-updated date: %s", reason)
        return
    if _git(srcdir, "rev-parse", "--is-shallow-repository") == "true":
        config.suppress_warnings = [*config.suppress_warnings, "git.too_shallow"]
        logger.info(
            "shallow git clone: pages last changed before its oldest commit show no last-updated date "
            "(fetch the whole history to date them all)"
        )


def last_updated(app: Sphinx, docname: str) -> dt.date | None:
    """The calendar day, in the site's time zone, of the last commit that changed *docname*;
    None where git has no date for it."""
    changed = sphinx_last_updated_by_git.last_changed(app, docname)
    if changed is None:
        return None
    return changed.astimezone(site_timezone(app.config) or dt.UTC).date()


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_last_updated_by_git")
    app.connect("config-inited", _on_config_inited)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
