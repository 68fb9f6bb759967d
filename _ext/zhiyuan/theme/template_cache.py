"""Compiled Jinja templates kept between builds.

Every build compiles the HTML theme's templates again before it writes its
first page — the pydata and book themes' layout, sections and components, some
forty files, no-op builds included.  Jinja can keep the
compiled code in a bytecode cache; Sphinx does not configure one.  This
extension gives the HTML builder's template environment a
:class:`jinja2.FileSystemBytecodeCache` in the doctree folder.  Jinja checks
each entry against the template's source (and the Python version), so an
edited template is compiled again.

Jinja also checks, by default, every time a page uses a template, whether its
file changed since it was loaded: some forty ``stat`` calls a page with the
book theme's includes.  No template changes during a build (each build makes
its own environment), so that check is turned off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache

from zhiyuan import caches
from zhiyuan.compat import sphinx as sphinx_compat

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

_CACHE_DIR = "jinja_bytecode"


def _on_builder_inited(app: Sphinx) -> None:
    """Give the builder's Jinja environment a bytecode cache in the doctree folder; load each
    template once per build."""
    environment = sphinx_compat.jinja_environment(app.builder) if sphinx_compat.active(app) else None
    if environment is None:
        return
    environment.auto_reload = False
    if environment.bytecode_cache is not None:
        return
    folder = caches.path(app.doctreedir, _CACHE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.connect("builder-inited", _on_builder_inited)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
