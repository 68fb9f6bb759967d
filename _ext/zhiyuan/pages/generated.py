"""Generated pages written again only when what they show changed.

Sphinx renders every page an extension yields from ``html-collect-pages`` on
every build, no-op builds included: the home index's pages 2…n, series
overviews, ablog's archives — at 1000 posts, a hundred pages through the theme
for nothing.  An extension that generates pages asks a :class:`PageCache`
instead::

    cache = page_cache(app, "latest_updates")
    for name, context, template in pages:
        if not cache.keep(name, cache.fingerprint(name, template, context)):
            yield name, context, template

A page's fingerprint covers what the extension passes (its own content), what
every page of the site shows besides — the navigation (titles and tables of
contents of the documents in the site's toctrees), the HTML configuration, the
templates (``templates_path`` and our theme's) and the versions of the packages
that render it — and what its sidebars show beyond the page, for the sidebar
templates an extension declared with :func:`add_template_inputs` (ablog's
recent posts, say).  A page is kept when its fingerprint is the last build's
and its file is still in the output folder.  When the build read and removed no
document and the site's inputs are the last build's, nothing a generated page
shows can have changed: :meth:`PageCache.unchanged` lets an extension keep all
its pages without computing any (a no-op build).

Once a build succeeded, each cache's fingerprints are saved in the doctree
folder and the files of pages that were generated last time but not this time
(a page 7 after posts were deleted) are deleted, as a clean build would not
write them.  After a failed build nothing is saved: the next one compares with
the last good state.

Sphinx's own generated pages — the general index and the search page (and the
domain indices and ``html_additional_pages``, if a site has them) — are
written by the HTML builder on every build, with no event to skip them; the
builder's ``handle_page`` is wrapped so that they go through the same cache
(their fingerprint covers the context Sphinx passes, the index entries).  So
does sphinx-notfound-page's 404 page, which shows its context and nothing else.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhiyuan import caches
from zhiyuan.compat import notfound
from zhiyuan.compat import sphinx as sphinx_compat

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

_STATE_FILE = "generated_pages_{name}.json"
_THEME_TEMPLATES = Path(__file__).resolve().parents[1] / "theme" / "portal"
_PACKAGES = ("sphinx", "ablog", "pydata-sphinx-theme", "sphinx-book-theme", "myst-parser")


def digest(value: Any) -> str:
    """SHA-256 of *value* as canonical JSON (``str`` for what JSON cannot hold)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _navigation(env: BuildEnvironment) -> list[Any]:
    included = {env.config.root_doc} | {doc for docs in env.toctree_includes.values() for doc in docs}
    return [
        (doc, env.titles[doc].astext() if doc in env.titles else "",
         env.tocs[doc].pformat() if doc in env.tocs else "", env.toctree_includes.get(doc, []))
        for doc in sorted(included & env.found_docs)
    ]


def _templates(app: Sphinx) -> list[Any]:
    folders = [Path(app.confdir, folder) for folder in app.config.templates_path] + [_THEME_TEMPLATES]
    files = sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))
    return [(path.as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()) for path in files]


def _package_versions() -> list[str | None]:
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(version(name))
        except PackageNotFoundError:
            versions.append(None)
    return versions


def site_inputs(app: Sphinx) -> str:
    """Digest of what every page shows or depends on besides its content (once per build)."""
    cached = getattr(app, "_generated_pages_site_inputs", None)
    if cached is None:
        cached = digest([
            app.builder.name,
            _navigation(app.env),
            sphinx_compat.config_hash(app),
            _templates(app),
            _package_versions(),
        ])
        app._generated_pages_site_inputs = cached
    return cached


def environment_changed(app: Sphinx) -> bool:
    """True unless this build read no document and removed none (then the environment is the last build's)."""
    return getattr(app, "_generated_pages_environment_changed", True)


def sidebars(app: Sphinx, pagename: str) -> set[str]:
    """Every sidebar template any matching ``html_sidebars`` pattern gives *pagename* (a superset)."""
    return {
        template
        for pattern, templates in app.config.html_sidebars.items()
        if fnmatch.fnmatch(pagename, pattern)
        for template in templates
    }


def add_template_inputs(app: Sphinx, templates: Iterable[str], inputs: Callable[[Sphinx], Any]) -> None:
    """Declare that sidebar *templates* show more than their page: what ``inputs(app)`` returns.

    A generated page with one of them among its sidebars is written again when
    that value changes.  *inputs* is called at most once per build.
    """
    registry = app.__dict__.setdefault("_generated_pages_template_inputs", {})
    for template in templates:
        registry[template] = inputs


def _template_inputs(app: Sphinx, pagename: str) -> list[Any]:
    registry = getattr(app, "_generated_pages_template_inputs", {})
    computed = app.__dict__.setdefault("_generated_pages_computed_inputs", {})
    shown = []
    for template in sorted(sidebars(app, pagename) & set(registry)):
        inputs = registry[template]
        if inputs not in computed:
            computed[inputs] = inputs(app)
        shown.append((template, computed[inputs]))
    return shown


class PageCache:
    """The generated pages of one extension, and whether each can stay as written last time."""

    def __init__(self, app: Sphinx, name: str) -> None:
        self._app = app
        self._path = caches.path(app.doctreedir, _STATE_FILE.format(name=name))
        self._outdir = Path(app.outdir)
        try:
            state = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        same_outdir = state.get("outdir") == str(self._outdir)
        self._old: dict[str, str] = state.get("pages", {}) if same_outdir else {}
        self._old_site_inputs: str | None = state.get("site_inputs") if same_outdir else None
        self._new: dict[str, str] = {}

    def fingerprint(self, pagename: str, *content: Any) -> str:
        """*pagename*'s fingerprint: *content* (what the page itself shows), its sidebars' and the site's inputs."""
        return digest([site_inputs(self._app), _template_inputs(self._app, pagename), pagename, content])

    def _file(self, pagename: str) -> Path:
        return self._outdir / self._app.builder.get_outfilename(pagename)

    def keep(self, pagename: str, fingerprint: str) -> bool:
        """Record *pagename*; True if its file from the last build can stay as it is."""
        self._new[pagename] = fingerprint
        return self._old.get(pagename) == fingerprint and self._file(pagename).is_file()

    def unchanged(self) -> bool:
        """True if no page can differ from the last build: no document was read or removed,
        the site's inputs are the same and every page's file is still there.

        Everything a generated page shows comes from the environment, which only
        reading and removing documents change, and from the site's inputs; an
        extension may then :meth:`keep_all` without computing a single page.
        """
        return (
            not environment_changed(self._app)
            and self._old_site_inputs == site_inputs(self._app)
            and self.complete()
        )

    def complete(self) -> bool:
        """True if the file of every page generated last time is still in the output folder."""
        return all(self._file(pagename).is_file() for pagename in self._old)

    def keep_all(self) -> None:
        """Every page of the last build stays (the extension knows that nothing changed)."""
        self._new = dict(self._old)

    def pages(self) -> list[str]:
        """The pages recorded this build."""
        return sorted(self._new)

    def _save(self) -> None:
        for pagename in sorted(set(self._old) - set(self._new)):
            self._file(pagename).unlink(missing_ok=True)
        state = {"outdir": str(self._outdir), "site_inputs": site_inputs(self._app), "pages": self._new}
        caches.write_if_changed(self._path, json.dumps(state, sort_keys=True).encode("utf-8"))


def page_cache(app: Sphinx, name: str) -> PageCache:
    """This build's cache of *name*'s generated pages."""
    caches: dict[str, PageCache] = app.__dict__.setdefault("_generated_pages_caches", {})
    if name not in caches:
        caches[name] = PageCache(app, name)
    return caches[name]


def _sphinx_pages(app: Sphinx) -> set[str]:
    """Names of the pages the HTML builder itself generates (indices, search, additional pages)."""
    builder = app.builder
    names = {"search", "genindex", "genindex-all"}
    names |= {name for name, *_ in getattr(builder, "domain_indices", [])}
    names |= set(builder.config.html_additional_pages)
    notfound_page = notfound.cacheable_page(app)  # it shows its context and nothing else
    if notfound_page is not None:
        names.add(notfound_page)
    return names


def _is_sphinx_page(pagename: str, names: set[str]) -> bool:
    return pagename in names or pagename.startswith("genindex-")  # genindex-A … with html_split_index


def _on_builder_inited(app: Sphinx) -> None:
    """Let Sphinx's own generated pages skip rendering when their fingerprint is the last build's."""
    builder = app.builder
    if builder.format != "html" or not sphinx_compat.active(app):
        return

    def unless_unchanged(handle_page: Callable[..., None]) -> Callable[..., None]:
        def handle_page_unless_unchanged(
            pagename: str, addctx: dict[str, Any], templatename: str = "page.html", **kwargs: Any
        ) -> None:
            # documents (event_arg) and files outside the page tree (outfilename) are not ours
            if not kwargs and _is_sphinx_page(pagename, _sphinx_pages(app)):
                cache = page_cache(app, "sphinx")
                if cache.keep(pagename, cache.fingerprint(pagename, templatename, addctx)):
                    return
            handle_page(pagename, addctx, templatename, **kwargs)

        return handle_page_unless_unchanged

    sphinx_compat.wrap_handle_page(builder, unless_unchanged)


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Note whether documents were removed (see :meth:`PageCache.unchanged`)."""
    app._generated_pages_removed = bool(removed)
    return []


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Note whether this build changes the environment: it reads or removes a document."""
    app._generated_pages_environment_changed = bool(docnames) or getattr(app, "_generated_pages_removed", True)


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Save the fingerprints and delete pages no longer generated, once the build succeeded."""
    caches = app.__dict__.pop("_generated_pages_caches", {})
    if exception is None:
        for cache in caches.values():
            cache._save()
    # the next build (an application may build twice) starts afresh
    for name in ("_generated_pages_site_inputs", "_generated_pages_computed_inputs",
                 "_generated_pages_removed", "_generated_pages_environment_changed"):
        app.__dict__.pop(name, None)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    # before the handlers that list the output folder (robots_txt's sitemap)
    app.connect("build-finished", _on_build_finished, priority=400)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
