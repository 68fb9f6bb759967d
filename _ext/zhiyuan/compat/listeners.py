"""Wrap another extension's event listener without moving it in its event's order.

Sphinx calls an event's listeners by priority and, within a priority, in the
order they were connected, and several extensions connect at the default
priority: disconnecting a listener and connecting a wrapper would move it behind
every listener connected since.  :func:`wrap_listener` replaces the handler in
place instead, keeping the listener's id and priority.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

Handler = Callable[..., Any]


def wrap_listener(app: Sphinx, event: str, handler: Handler, wrap: Callable[[Handler], Handler]) -> bool:
    """Replace ``handler``'s listener for ``event`` by ``wrap(handler)``; False if it is not connected."""
    listeners = app.events.listeners.get(event, [])
    for index, listener in enumerate(listeners):
        if listener.handler is handler:
            listeners[index] = listener._replace(handler=wrap(handler))
            return True
    return False
