"""Chinese, escaped ablog pages on sphinx-book-theme.

ablog's stock templates and sphinx-book-theme's print header write post titles,
categories, tags and authors into HTML unescaped, and ablog ships its Chinese
catalog untranslated and uncompiled.  This extension

* puts escaped copies of ablog's templates (and of the theme's layout) ahead of
  the stock ones;
* compiles ``locales/zh_CN/LC_MESSAGES/sphinx.po`` and registers it as a fallback
  of Sphinx's catalog, so ablog's labels read in Chinese;
* escapes the raw-text ``title`` ablog hands to its generated pages (Sphinx
  treats ``title`` as HTML);
* renders the entries of ablog's archive and catalog pages, and the post card
  of the sidebar, in Python (``entries.py``): the archives list thousands of
  entries at a thousand posts; each archive page's entry list is kept between
  builds under a digest of what it shows (``entries_cache.py``);
* resets ablog's process-wide ``Blog`` state at the start of every build, so a
  second Sphinx application in the same process never sees stale posts;
* refuses a source page whose name collides with one ablog generates, which
  ablog would otherwise overwrite silently;
* renders the sidebar's site navigation once per folder for the pages outside
  the toctree (posts, archives), once per page for those in it, and keeps it
  between builds while the toctree and configuration stay the same
  (``navigation.py``); and the asset tags once per folder for all pages
  (``asset_tags.py``);
* builds the page's own table of contents with lxml instead of BeautifulSoup
  (``page_toc.py``), and spares sphinx-book-theme the page description it
  computes from the whole document for no template;
* spares pydata-sphinx-theme's check of the templates whose emptiness is known
  (the primary sidebar's, the article header's are never empty; ablog's post
  card is empty exactly on pages that are not posts): it renders every sidebar,
  header and footer template an extra time per page only to drop those that
  come out empty;
* removes the Jinja macro files the themes ship in their static folders
  (``_static/webpack-macros.html``): Sphinx copies them verbatim, so they would
  be published as pages full of unrendered ``{{ pathto(...) }}`` links;
* writes the folders that extensions (ours, ablog) add to ``html_static_path`` and
  ``templates_path`` relative to conf.py's folder when they lie in the project, so
  the configuration Sphinx hashes into ``.buildinfo`` is the same wherever the
  repository lies (:func:`portable_path`).
"""

from __future__ import annotations

import functools
import html
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup
from sphinx.util import logging

from zhiyuan import caches
from zhiyuan.compat import ablog, pydata_sphinx_theme
from zhiyuan.config import declare
from zhiyuan.posts.schema import LICENCES

from .asset_tags import forget_asset_tags, share_asset_tags
from .entries import EntryView, entry_view, render_card_items, render_catalog_item, render_entry
from .entries_cache import EntriesCache, entry_digests, linked_here
from .navigation import forget_navigation, save_navigation, share_navigation
from .page_toc import use_page_toc

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
_TEMPLATES = _HERE / "templates"
_BOOK_THEME_TEMPLATES = _HERE / "templates_book_theme"
_LOCALES = _HERE / "locales"
_CATALOG = "sphinx"  # ablog translates through Sphinx's own catalog name


def _compile_catalogs(target: Path) -> Path:
    """Compile every ``.po`` under ``locales/`` into *target*; return *target*."""
    for po_path in _LOCALES.glob("*/LC_MESSAGES/*.po"):
        mo_path = target / po_path.relative_to(_LOCALES).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
    return target


def _plain_summary(post: Any) -> str:
    """Text of ablog's excerpt paragraphs (used until a richer summary is registered)."""
    return " ".join(paragraph.astext() for paragraph in post.excerpt).strip()


def _on_config_inited(app: Sphinx, config: Config) -> None:
    """Put our templates ahead of ablog's and the theme's."""
    ours = [str(_TEMPLATES)]
    if config.html_theme == "sphinx_book_theme":  # book_layout()
        ours.append(str(_BOOK_THEME_TEMPLATES))
    # a new list: the default value object is shared by every Sphinx app in a process
    config.templates_path = [*config.templates_path, *ours]


def book_layout(app: Sphinx) -> bool:
    """Whether pages are rendered with our copy of sphinx-book-theme's layout
    (``templates_book_theme``), which leaves out of the head and body what other parts link
    otherwise (``page_assets_bundle``, ``page_assets_theme_scripts``)."""
    return "zhiyuan.theme.portal" in app.extensions and app.config.html_theme == "sphinx_book_theme"


def portable_path(entry: str | os.PathLike[str], confdir: str | os.PathLike[str]) -> str:
    """*entry* of a path setting, relative to *confdir* when it lies in the project.

    The project is the folder above conf.py's (``docs/`` -> the repository): a folder
    in it (our package, a virtual environment in ``.nox/``) moves with it, so it is
    written relative to conf.py, where Sphinx resolves these settings; a folder
    outside it (an environment elsewhere) does not move with the project and stays
    as it is, as do entries that are relative already.
    """
    entry = os.fspath(entry)
    if not os.path.isabs(entry):
        return entry
    project = os.path.dirname(os.path.abspath(confdir))
    try:
        inside = os.path.commonpath([project, entry]) == project
    except ValueError:  # on another drive (Windows)
        inside = False
    return os.path.relpath(entry, confdir) if inside else entry


def _make_paths_portable(app: Sphinx, config: Config) -> None:
    """Write the folders every extension added to the path settings Sphinx hashes into
    ``.buildinfo`` as :func:`portable_path` does: absolute paths there would make two
    builds of the same sources in two folders differ."""
    config.html_static_path = [portable_path(entry, app.confdir) for entry in config.html_static_path]
    config.templates_path = [portable_path(entry, app.confdir) for entry in config.templates_path]


def _with_page_toc(add_toctree_functions: Callable[..., None]) -> Callable[..., None]:
    """pydata's ``add_toctree_functions``, then the page TOC of :mod:`.page_toc` (before pydata's
    secondary-sidebar check, at the same priority, first asks for it)."""

    @functools.wraps(add_toctree_functions)
    def add_toctree_functions_and_page_toc(app: Sphinx, pagename: str, templatename: str,
                                           context: dict[str, Any], doctree: Any) -> None:
        add_toctree_functions(app, pagename, templatename, context, doctree)
        use_page_toc(context)

    return add_toctree_functions_and_page_toc


def _without_page_description(add_metadata_to_page: Callable[..., None]) -> Callable[..., None]:
    """sphinx-book-theme's ``add_metadata_to_page`` without ``page_description``, the first 160
    characters of all the page's sections, which it joins from the text of the whole document and
    which no template uses (social_meta writes the description meta tags)."""

    @functools.wraps(add_metadata_to_page)
    def add_metadata_but_description(app: Sphinx, pagename: str, templatename: str,
                                     context: dict[str, Any], doctree: Any) -> None:
        add_metadata_to_page(app, pagename, templatename, context, None)

    return add_metadata_but_description


def _on_builder_inited(app: Sphinx) -> None:
    """Forget ablog's process-wide state left by any earlier build; make the themes' per-page
    work cheaper (the themes connect their listeners when the builder loads them)."""
    if ablog.active(app):
        ablog.forget_blog()
    if pydata_sphinx_theme.active(app):
        pydata_sphinx_theme.wrap_page_handlers(
            app, toctree_functions=_with_page_toc, metadata=_without_page_description
        )


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Report source pages that ablog's generated pages would overwrite."""
    blog_path = app.config.blog_path
    for docname in sorted(env.found_docs):
        if docname == blog_path or docname.startswith(f"{blog_path}/"):
            logger.warning(
                "page %r has the name of a page ablog generates (blog_path = %r); "
                "ablog would overwrite it. Rename the file.",
                docname,
                blog_path,
                type="portal_theme",
                subtype="blog_path",
                location=docname,
            )
    return []


_ENTRIES_CACHE = "_portal_theme_entries_cache"


def _entries_cache(app: Sphinx) -> EntriesCache:
    if _ENTRIES_CACHE not in app.__dict__:
        app.__dict__[_ENTRIES_CACHE] = EntriesCache(caches.path(app.doctreedir, "portal_theme_entries"))
    return app.__dict__[_ENTRIES_CACHE]


def _on_html_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Escape ablog's raw titles; offer templates a plain-text post summary, post cards and archive entries."""
    context.setdefault("post_summary", _plain_summary)
    context["site_licence"] = {"name": app.config.site_licence, "url": LICENCES.get(app.config.site_licence, "")}
    # an archive page links to the same few category and tag pages from every entry
    pathto = functools.cache(lambda docname: context["pathto"](docname))

    def ablog_card_items(post: Any, labels: dict[str, str]) -> str:
        return render_card_items(entry_view(post), pathto=pathto, labels=labels,
                                 date_format=context["ablog"].post_date_format)

    context["ablog_card_items"] = ablog_card_items
    if templatename.startswith("ablog/") and "title" in context:
        context["title"] = html.escape(str(context["title"]))
    if templatename in ("ablog/collection.html", "ablog/catalog.html"):
        date_format = context["ablog"].post_date_format

        folder = posixpath.dirname(app.builder.get_target_uri(pagename))

        def _kept_list(kind: str, views: list[EntryView], labels: dict[str, str],
                       render: Callable[[EntryView], str]) -> Markup:
            cache = _entries_cache(app)
            digests = entry_digests(kind, folder, pagename, views, labels, date_format, cache.shown)
            return Markup("\n".join(
                cache.entry((kind, folder, linked_here(view, pagename), view.docname, view.section), digest,
                            functools.partial(render, view))
                for view, digest in zip(views, digests)
            ))

        def ablog_entries(posts: Any, labels: dict[str, str]) -> Markup:
            cache = _entries_cache(app)
            views = [cache.view(post, context["post_summary"](post)) for post in posts]
            return _kept_list("entry", views, labels,
                              lambda view: render_entry(view, pathto=pathto, labels=labels, date_format=date_format))

        def ablog_catalog_items(collection: Any, labels: dict[str, str]) -> Markup:
            cache = _entries_cache(app)
            views = [cache.view(post) for post in collection]
            return _kept_list("catalog", views, labels,
                              lambda view: render_catalog_item(view, pathto=pathto, labels=labels,
                                                               date_format=date_format))

        context["ablog_entries"] = ablog_entries
        context["ablog_catalog_items"] = ablog_catalog_items


_HIDDEN = "portal_theme_unchecked"
# The template sections pydata-sphinx-theme renders an extra time per page, to
# drop the templates that come out empty (its ``update_and_remove_templates``
# and ``set_secondary_sidebar_items``), each with the context key that then
# holds the templates to render.
_CHECKED_SECTIONS = {
    **{
        section: section
        for section in (
            "theme_navbar_start",
            "theme_navbar_center",
            "theme_navbar_persistent",
            "theme_navbar_end",
            "theme_article_header_start",
            "theme_article_header_end",
            "theme_article_footer_items",
            "theme_content_footer_items",
            "theme_footer_start",
            "theme_footer_center",
            "theme_footer_end",
            "theme_primary_sidebar_end",
            "sidebars",
        )
    },
    "theme_secondary_sidebar_items": "secondary_sidebar_items",
}
# Templates that always render something on the pages they are configured for
# (conf.py's html_sidebars, the book theme's article header, pydata's placeholder
# for Read the Docs' ads); the theme's icon links and the like can come out empty
# and stay subject to pydata's check.
_NEVER_EMPTY = frozenset({
    "navbar-logo.html",
    "search-button-field.html",
    "sbt-sidebar-nav.html",
    "portal/browse.html",
    "toggle-primary-sidebar.html",
    "article-header-buttons.html",
    "sidebar-ethical-ads.html",
})
# Templates whose emptiness is known without rendering them: ablog's post card
# shows the page's post, and nothing on a page that is not one; the page TOC
# shows the page's sections, if it has any besides its title.
_SHOWN_IF: dict[str, Callable[[Sphinx, str, dict[str, Any]], bool]] = {
    "ablog/postcard.html": lambda app, pagename, context: ablog.is_post(app, pagename),
    "page-toc.html": lambda app, pagename, context: bool(context["generate_toc_html"]()),
}


def _template_names(value: str | list[str]) -> list[str]:
    """A section's templates as pydata lists them: split at commas, ``.html`` added."""
    names = [name.strip() for name in value.split(",")] if isinstance(value, str) else list(value)
    return [name if Path(name).suffix else f"{name}.html" for name in names]


def _hide_templates(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Before pydata's empty-template checks (priority 500): show them only the templates whose
    emptiness is not known here."""
    hidden = {}
    for section in _CHECKED_SECTIONS:
        if not context.get(section) or isinstance(context[section], dict):  # per-page dicts: pydata's
            continue
        names = _template_names(context[section])
        known = [name for name in names if name in _NEVER_EMPTY or name in _SHOWN_IF]
        if known:
            hidden[section] = names
            context[section] = [name for name in names if name not in known]
    context[_HIDDEN] = hidden


def _restore_templates(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """After the checks: the templates known to show something and those that passed a check, in
    the configured order."""
    for section, names in context.pop(_HIDDEN, {}).items():
        rendered = _CHECKED_SECTIONS[section]
        kept = set(context.get(rendered) or ())
        context[rendered] = [
            name for name in names
            if name in kept or name in _NEVER_EMPTY or (name in _SHOWN_IF and _SHOWN_IF[name](app, pagename, context))
        ]


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Unpublish the themes' macro files that Sphinx copied as static files; keep the archive entries
    and the navigation."""
    if exception is None and app.builder.format == "html":
        for name in pydata_sphinx_theme.MACRO_FILES:
            (Path(app.outdir) / name).unlink(missing_ok=True)
        if _ENTRIES_CACHE in app.__dict__:
            app.__dict__[_ENTRIES_CACHE].save()
        save_navigation(app)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.caches")
    app.setup_extension("ablog")
    app.setup_extension("zhiyuan.pages.ablog_sidebars")  # what the sidebar templates render
    locale_dir = _compile_catalogs(caches.path(app.doctreedir, "portal_theme_locales"))
    app.add_message_catalog(_CATALOG, str(locale_dir))
    declare(app, "zhiyuan.theme.portal")
    app.connect("config-inited", _on_config_inited)
    # after every extension has added its folders (at the default priority, 500) and
    # Sphinx has dropped missing ones (800); before the builder hashes the configuration
    app.connect("config-inited", _make_paths_portable, priority=950)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-updated", _on_env_updated)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _on_build_finished)
    if pydata_sphinx_theme.active(app):
        # around pydata's checks of empty templates (500)
        app.connect("html-page-context", _hide_templates, priority=400)
        app.connect("html-page-context", _restore_templates, priority=600)
        app.connect("env-updated", forget_navigation)
        # after pydata's add_toctree_functions (500), before anything is rendered
        app.connect("html-page-context", share_navigation, priority=550)
    app.connect("env-updated", forget_asset_tags)
    app.connect("html-page-context", share_asset_tags, priority=550)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
