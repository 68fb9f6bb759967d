"""Files of the HTML theme, looked up as Sphinx does: the theme, then the themes it inherits from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def theme_file(app: Sphinx, relative: str) -> Path | None:
    """*relative* in the HTML theme or the first theme it inherits from that has it."""
    theme = getattr(app.builder, "theme", None)
    for directory in theme.get_theme_dirs() if theme else []:
        candidate = Path(directory, relative)
        if candidate.is_file():
            return candidate
    return None
