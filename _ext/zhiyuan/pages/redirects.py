"""A post's old addresses keep working: ablog's ``redirect`` front-matter key, made safe.

ablog writes one page per name in a post's ``redirect:`` list (``ablog/redirect.html``, from
its ``html-collect-pages``), and Sphinx writes a page named ``a/b`` to ``a/b.html``.  Given
as it is, a name with ``..`` or a leading ``/`` would be written outside the output folder, and
one that names a page of the site (a document, an archive of ablog's) silently replaces it.
This part

* reads every entry of ``redirect:`` as the old address it is — a path from the site's root
  as the old blog served it (``/2019/01/15/bi-bao/``, ``/python/2020/11/12/x.html``, percent-escapes
  allowed) or ablog's page name (``2019/01/15/bi-bao/index``) — and hands ablog the page name that
  serves it (a folder's ``index``; no ``.html``), before ablog reads the post (a transform);
* refuses, with a warning naming the file and line, an entry that cannot be a page of the
  output (``..``, a query, another site's URL, a name starting with ``_``, a comma) or that
  would replace a page of the site (a document, Sphinx's ``genindex``/``search``/``404``, an
  archive page of ablog's), and two posts claiming one address;
* keeps the redirect pages out of the sitemap; the template (``ablog/redirect.html``, ours)
  writes a page with no script — under the strict Content-Security-Policy a ``<meta
  http-equiv="refresh">`` (after ``post_redirect_refresh`` seconds, 0 on this site) — marked
  ``noindex``, with a canonical link to the post and a link a reader can follow.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from zhiyuan import state

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__version__ = "1.0"

logger = logging.getLogger(__name__)

FIELD = "redirect"
TEMPLATE = "ablog/redirect.html"
_TABLE = "redirects"
# pages Sphinx (and sphinx-notfound-page) writes besides the documents
_SPHINX_PAGES = {"genindex", "search", "404", "py-modindex", "index"}
# ablog's archive pages under blog_path: blog/<catalog>/…, blog/<year>
_ABLOG_CATALOGS = {"archive", "category", "tag", "author", "language", "location", "drafts"}


class RedirectError(ValueError):
    """An entry of ``redirect:`` that cannot be a page of the site."""


def page_name(entry: str) -> str:
    """The page name (as ablog and Sphinx name pages) that serves the old address *entry*.

    ``/2019/01/15/bi-bao/`` → ``2019/01/15/bi-bao/index``; ``/python/x.html`` → ``python/x``;
    ``notes/old`` (ablog's own form) → ``notes/old``.  RedirectError for what cannot be a page.
    """
    text = entry.strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        raise RedirectError(f"redirect {text!r} is another site's address; give the path on this site (e.g. /2020/01/post/)")
    if parts.query or parts.fragment:
        raise RedirectError(f"redirect {text!r} has a query or #fragment; a redirect page can only be a path")
    path = unquote(parts.path)
    if not path.strip("/"):
        raise RedirectError(f"redirect {text!r} names the site's home page")
    if "\\" in path or any(ord(char) < 32 for char in path):
        raise RedirectError(f"redirect {text!r} has a backslash or a control character")
    folder = path.endswith("/")
    segments = path.strip("/").split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise RedirectError(f"redirect {text!r} has an empty, '.' or '..' part; give the path from the site's root")
    if segments[0].startswith("_"):
        raise RedirectError(f"redirect {text!r} is in {segments[0]}/, where Sphinx keeps the site's own files")
    if folder:
        segments.append("index")
    elif re.search(r"\.html?$", segments[-1]):
        segments[-1] = re.sub(r"\.html?$", "", segments[-1])
        if not segments[-1]:
            raise RedirectError(f"redirect {text!r} names no page")
    return "/".join(segments)


def _clash(name: str, found_docs: set[str], blog_path: str) -> str | None:
    """What page of the site *name* would replace, if any."""
    if name in found_docs:
        return f"the page {name!r} of the site"
    if name in _SPHINX_PAGES:
        return f"Sphinx's page {name!r}"
    if name == blog_path:
        return "ablog's list of posts"
    rest = name[len(blog_path) + 1:].split("/") if name.startswith(f"{blog_path}/") else None
    if rest and (rest[0] in _ABLOG_CATALOGS or (len(rest) == 1 and re.fullmatch(r"\d{4}", rest[0]))):
        return f"ablog's archive page {name!r}"
    return None


def _field_line(source: str) -> int | None:
    try:
        with open(source, encoding="utf-8-sig") as file:
            for number, line in enumerate(file, start=1):
                if re.match(rf"{FIELD}[ \t]*:", line):
                    return number
    except OSError:
        pass
    return None


class NormaliseRedirects(SphinxTransform):
    """A post's ``redirect:`` entries as the page names ablog writes; bad ones left out, with a warning."""

    # after zhiyuan.posts.frontmatter's transform (790), before ablog's CheckFrontMatter (800)
    default_priority = 795

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if docname not in getattr(self.config, "matched_blog_posts", ()):
            return
        for docinfo in self.document.findall(nodes.docinfo):
            for field in list(docinfo.findall(nodes.field)):
                if field[0].astext() != FIELD:
                    continue
                names = []
                for entry in _entries(field[-1].astext()):
                    try:
                        name = page_name(entry)
                        clash = _clash(name, self.env.found_docs, self.config.blog_path)
                        if clash:
                            raise RedirectError(f"redirect {entry!r} would replace {clash}; left out")
                    except RedirectError as exc:
                        logger.warning("%s", exc, type="redirects", subtype="invalid",
                                       location=(docname, _field_line(self.document["source"])))
                        continue
                    if name not in names:
                        names.append(name)
                if names:
                    field[-1].children = [nodes.paragraph(", ".join(names), ", ".join(names))]
                    state.per_document(self.env, _TABLE)[docname] = names
                else:  # ablog would read an empty value as one page named ""
                    field.parent.remove(field)


def _entries(text: str) -> list[str]:
    """The entries of a ``redirect:`` value: ``a, b`` or a YAML list (MyST keeps it as JSON)."""
    from zhiyuan.posts.fields import split_list

    return [entry for entry in split_list(text) if entry]


def _on_env_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Two posts claiming one address; the redirect pages out of the sitemap."""
    owners: dict[str, str] = {}
    for docname, names in sorted(state.per_document(env, _TABLE).items()):
        for name in names:
            if name in owners:
                logger.warning("redirect %r is claimed by %s too; one page cannot send readers to both",
                               name, owners[name], type="redirects", subtype="duplicate",
                               location=(docname, _field_line(str(env.doc2path(docname)))))
            owners.setdefault(name, docname)
    if owners and hasattr(app.config, "sitemap_excludes"):
        pages = [f"{name}{app.config.html_file_suffix or '.html'}" for name in sorted(owners)]
        app.config.sitemap_excludes = [*app.config.sitemap_excludes, *(page for page in pages
                                                                       if page not in app.config.sitemap_excludes)]


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                          doctree: nodes.document | None) -> None:
    """The post's absolute address, for the redirect page's canonical link."""
    if templatename != TEMPLATE or "redirect" not in context:
        return
    base = app.config.html_baseurl
    if base:
        context["redirect_canonical"] = urljoin(base if base.endswith("/") else base + "/",
                                                app.builder.get_target_uri(context["redirect"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("zhiyuan.state")
    app.setup_extension("ablog")
    app.add_transform(NormaliseRedirects)
    app.connect("env-check-consistency", _on_env_check_consistency)
    app.connect("html-page-context", _on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
