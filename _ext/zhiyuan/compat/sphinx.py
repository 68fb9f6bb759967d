"""Sphinx: every use of its internals, written for Sphinx 9.0.

Sphinx is the host, and its public API (events, ``app.add_*``, the environment's
documented attributes) is used everywhere.  What lives here reaches further: the event
manager's listener table (to wrap another extension's handler in place), the HTML
builder's per-page closures, ``handle_page`` and its template bridge's ``render``, its script
assets, its build-info hash, its Jinja environment, the HTML builder's switch for Sphinx's own
search index, the figure numbers of documents outside the toctree, and its numbering of the
figures of those inside it, kept when none of them changed.  The parts use these functions only
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
    from sphinx.environment import BuildEnvironment

__all__ = [
    "PATCH", "active", "after_copying_assets", "config_hash", "deferred", "jinja_environment",
    "keep_unchanged_figure_numbers", "links_as_sphinx", "number_outside_toctree", "script_asset", "stylesheets",
    "turn_off_search_index", "wrap_handle_page", "wrap_listener", "wrap_template_render",
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


def after_copying_assets(builder: Builder, callback: Callable[[], None]) -> bool:
    """Call *callback* each time the *builder* has copied its static files, before it writes pages.

    Sphinx has no event between ``copy_assets()`` (theme and ``html_static_path`` files into
    ``_static/``, in ``Builder.write``) and the first page written; a step that reads those
    files to make another one the pages link to runs here.  False if the builder has no
    ``copy_assets``.
    """
    copy_assets = getattr(builder, "copy_assets", None)
    if copy_assets is None:
        return False

    def copy_assets_then_callback() -> None:
        copy_assets()
        callback()

    builder.copy_assets = copy_assets_then_callback
    return True


def stylesheets(builder: Builder) -> list[Any]:
    """The HTML *builder*'s CSS assets for every page, in the order pages link them (by priority,
    as ``handle_page`` sorts them)."""
    return sorted(getattr(builder, "_css_files", []), key=lambda asset: asset.priority)


def deferred(script: Any) -> Any:
    """A copy of the page-context *script* (Sphinx's ``_JavaScript``) that loads with ``defer``.

    Scripts that already load ``async`` or ``defer``, modules (deferred anyway) and inline
    scripts are returned as they are.  Sphinx's asset objects are immutable; the copy is made
    with the constructor Sphinx itself uses (filename, priority, attributes).
    """
    attributes = getattr(script, "attributes", None)
    if not isinstance(attributes, dict) or not getattr(script, "filename", None):
        return script
    if attributes.get("body") or {"async", "defer"} & attributes.keys() or attributes.get("type") == "module":
        return script
    return type(script)(script.filename, priority=script.priority, **attributes, defer="defer")


def script_asset(filename: str, *, priority: int, **attributes: str) -> Any:
    """A page-context script asset (Sphinx's ``_JavaScript``, what ``add_js_file`` makes) for the
    file *filename* (under the output folder) with *priority* and the tag's *attributes*."""
    from sphinx.builders.html._assets import _JavaScript

    return _JavaScript(filename, priority=priority, **attributes)


def config_hash(app: Sphinx) -> str:
    """The hash of the HTML configuration Sphinx writes to ``.buildinfo``."""
    return app.builder.build_info.config_hash


def wrap_handle_page(builder: Builder, wrap: Callable[[Handler], Handler]) -> None:
    """Route every page the HTML *builder* writes through ``wrap(handle_page)`` (builders
    without ``handle_page`` are left alone)."""
    if hasattr(builder, "handle_page"):
        builder.handle_page = wrap(builder.handle_page)


def wrap_template_render(builder: Builder, wrap: Callable[[Handler], Handler]) -> bool:
    """Route the HTML of every page the *builder* renders from a template through
    ``wrap(render)``: its template bridge's ``render(template, context)``, which ``handle_page``
    calls and whose result it writes.  False if the builder has no template bridge."""
    templates = getattr(builder, "templates", None)
    if templates is None or not callable(getattr(templates, "render", None)):
        return False
    templates.render = wrap(templates.render)
    return True


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


def number_outside_toctree(env: BuildEnvironment, numbers: dict[str, dict[str, dict[str, tuple[int, ...]]]]) -> None:
    """Give the figures, tables and code blocks of documents that Sphinx's ``numfig`` left
    unnumbered the *numbers* given (docname → figure type → id → number), in the table its
    HTML writer and ``numref`` read (``env.toc_fignumbers``).

    Sphinx numbers only what its toctree reaches from the root document, in one sequence
    across those documents; a blog's posts are orphans.  Called after Sphinx assigns its
    numbers (``env-get-updated``), which empties the table each build; documents it did
    number are left as they are.
    """
    table = env.toc_fignumbers
    for docname, by_type in numbers.items():
        if docname not in table:
            table[docname] = by_type


def _toctree_documents(env: BuildEnvironment) -> set[str]:
    """The root document and every document its toctrees reach (``env.toctree_includes``)."""
    found: set[str] = set()
    waiting = [env.config.root_doc]
    while waiting:
        docname = waiting.pop()
        if docname not in found:
            found.add(docname)
            waiting.extend(env.toctree_includes.get(docname, ()))
    return found


def keep_unchanged_figure_numbers(app: Sphinx, read: Callable[[], set[str]]) -> bool:
    """Have Sphinx keep the last build's figure numbers of the documents its toctree reaches when
    none of them was read again (*read()*: the documents this build read) or removed, and no
    section number changed; False if its toctree collector's listener is not found.

    With ``numfig``, Sphinx's toctree collector numbers figures, tables and code blocks anew on
    every build (``TocTreeCollector.assign_figure_numbers``, from ``env-get-updated``): it loads
    the doctree of every document its toctree reaches and walks it, a no-op build too.  The
    numbers depend on those doctrees and their section numbers only (and on settings whose change
    makes Sphinx read every document), so when neither changed they are the last build's.
    """
    from sphinx.environment.collectors.toctree import TocTreeCollector

    for index, listener in enumerate(app.events.listeners.get("env-get-updated", [])):
        if getattr(listener.handler, "__func__", None) is TocTreeCollector.get_updated_docs:
            collector = listener.handler.__self__
            break
    else:
        return False

    def get_updated_docs(app: Sphinx, env: BuildEnvironment) -> list[str]:
        changed = collector.assign_section_numbers(env)
        documents = _toctree_documents(env)
        if changed or not env.config.numfig or documents & read() or not documents <= env.all_docs.keys():
            return changed + collector.assign_figure_numbers(env)
        last = env.toc_fignumbers
        env.toc_fignumbers = {docname: last[docname] for docname in sorted(documents) if docname in last}
        return []

    listeners = app.events.listeners["env-get-updated"]
    listeners[index] = listeners[index]._replace(handler=get_updated_docs)
    return True
