"""Sphinx: every use of its internals, written for Sphinx 9.0.

Sphinx is the host, and its public API (events, ``app.add_*``, the environment's
documented attributes) is used everywhere.  What lives here reaches further: the event
manager's listener table (to wrap another extension's handler in place), the HTML
builder's per-page closures and ``handle_page``, its build-info hash, its Jinja
environment, and the HTML builder's switch for Sphinx's own search index.  The parts use these functions only
while :func:`active` says the installed Sphinx is one they were written for; otherwise
each is left as Sphinx does it (slower, never wrong).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zhiyuan.compat import Patch, applies

if TYPE_CHECKING:
    from jinja2 import Environment
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

__all__ = [
    "PATCH", "active", "config_hash", "jinja_environment", "links_as_sphinx", "turn_off_search_index",
    "wrap_handle_page", "wrap_listener",
]

PATCH = Patch(
    "sphinx", ">=9.0,<9.1",
    "Sphinx's generated pages and the theme's templates are rendered anew on every build, each page "
    "builds its asset tags itself, and Sphinx's search index is built although the site has its own",
)

Handler = Callable[..., Any]


def active(app: Sphinx) -> bool:
    """Whether the installed Sphinx is one these functions were written for (warns once if not)."""
    return applies(app, PATCH)


def wrap_listener(app: Sphinx, event: str, handler: Handler, wrap: Callable[[Handler], Handler]) -> bool:
    """Replace ``handler``'s listener for ``event`` by ``wrap(handler)``; False if it is not connected.

    Sphinx calls an event's listeners by priority and, within a priority, in the order they
    were connected, and several extensions connect at the default priority: disconnecting a
    listener and connecting a wrapper would move it behind every listener connected since.
    This replaces the handler in place instead (``EventManager.listeners``, a dict of
    ``EventListener`` named tuples), keeping the listener's id and priority.
    """
    listeners = app.events.listeners.get(event, [])
    for index, listener in enumerate(listeners):
        if listener.handler is handler:
            listeners[index] = listener._replace(handler=wrap(handler))
            return True
    return False


_HTML_BUILDER_MODULE = "sphinx.builders.html"


def links_as_sphinx(*functions: Any) -> bool:
    """Whether each of *functions* (a page context's ``pathto``, ``toctree``, ``css_tag``,
    ``js_tag``) is the HTML builder's own closure, not an extension's replacement (notfound's
    absolute links)."""
    return all(getattr(function, "__module__", None) == _HTML_BUILDER_MODULE for function in functions)


def config_hash(app: Sphinx) -> str:
    """The hash of the HTML configuration Sphinx writes to ``.buildinfo``."""
    return app.builder.build_info.config_hash


def wrap_handle_page(builder: Builder, wrap: Callable[[Handler], Handler]) -> None:
    """Route every page the HTML *builder* writes through ``wrap(handle_page)`` (builders
    without ``handle_page`` are left alone)."""
    if hasattr(builder, "handle_page"):
        builder.handle_page = wrap(builder.handle_page)


def jinja_environment(builder: Builder) -> Environment | None:
    """The Jinja environment of the builder's template loader, if it has one."""
    return getattr(getattr(builder, "templates", None), "environment", None)


def turn_off_search_index(builder: Builder) -> bool:
    """Have the HTML *builder* neither build nor write Sphinx's search index (``searchindex.js``)
    nor its search page, as it does for HTML Help (the class attribute ``search``); False if it
    is no such builder."""
    if getattr(builder, "search", None) is not True:
        return False
    builder.search = False
    return True
