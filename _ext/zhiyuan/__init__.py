"""知源's Sphinx extension: every part of the portal, set up in one explicit order.

``docs/conf.py`` loads MyST-Parser, ablog, sphinx-copybutton and sphinxcontrib-katex,
then this package.  Its parts are Sphinx extensions of their own (a test project can
load one part alone), grouped by job:

* ``posts/``    — front matter (drafts, validation) and checks of a post's body;
* ``pages/``    — the LATEST UPDATES index and excerpts, the post meta line, related
  posts and series, ablog's archives and feeds written incrementally, archive slugs
  and labels, RSS and JSON Feed, and the cache of generated pages;
* ``theme/``    — templates and their cache, icons, the strict Content-Security-Policy;
* ``formulas/`` — KaTeX at build time;
* ``search/``   — Chinese search;
* ``web/``      — robots.txt and the sitemap's completeness, social meta, share cards,
  JSON-LD, external links;
* ``compat/``   — patches of other packages, each applied only to the versions it was
  written for (UPSTREAM.md lists every patch and why);
* ``tools/``    — the scripts behind ``nox -s build`` (staged build) and ``nox -s new``;
* ``config.py`` (every setting, declared once), ``diagnostics.py`` (every warning type),
  ``state.py`` (our records on the environment, purged and merged in one place),
  ``caches.py`` (the one folder of caches and state in the doctree folder, tied to our code).

ARCHITECTURE.md describes how a post becomes each output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The parts, in the order they are set up.  Sphinx calls the listeners of one event
#: by priority and, within a priority, in the order they were connected, so this order
#: is part of the behaviour: keep it unless a listener's priority makes it irrelevant.
PARTS = (
    # In a process that runs one build and ends (nox -s build), the collector skips what was
    # loaded before the build began (the extensions, the environment).
    "zhiyuan.collector",
    # Our folder in the doctree folder, emptied when our code changes (then every page is
    # written again).
    "zhiyuan.caches",
    # Our records on the environment, purged and merged per document in one place.
    "zhiyuan.state",
    # KaTeX first: its doctree-read records a document's formulas before anything else
    # reads the doctree.
    "zhiyuan.formulas.katex_ssr",
    # the theme's icons as inline SVG (every page's HTML, the joined sheet)
    "zhiyuan.theme.icons",
    # stable ids of MyST's unlabelled amsmath blocks (a patch of MyST-Parser)
    "zhiyuan.compat.myst_parser",
    # Posts: front matter is checked (config-inited, priority 400) before ablog's
    # readers see it; the body checks run at source-read and doctree-read.
    "zhiyuan.posts.frontmatter",
    "zhiyuan.posts.body",
    # readable section anchors for Chinese headings (a transform, before the TOC is collected)
    "zhiyuan.web.readable_anchors",
    # The theme's templates, then what ablog's pages and records need of it.
    "zhiyuan.theme.portal",
    # scrollable code and tables are tab stops, decided near the viewport (not pydata's scan)
    "zhiyuan.theme.tab_stops",
    # the blocks of a long page past its first screens laid out only near the screen
    "zhiyuan.theme.later_blocks",
    # the colour-mode menu, back-to-top button and tooltips without Bootstrap's script
    "zhiyuan.theme.controls",
    "zhiyuan.pages.ablog_sidebars",
    "zhiyuan.pages.archive_slugs",
    "zhiyuan.pages.ablog_incremental",
    "zhiyuan.pages.ablog_labels",
    # a post's old addresses (ablog's redirect:) checked and made page names; kept out of the sitemap
    "zhiyuan.pages.redirects",
    "zhiyuan.pages.latest_updates",
    "zhiyuan.search",
    # Sitemap, 404 page, robots.txt, social meta, feeds, post extras: sphinx-sitemap
    # before robots_txt, which keeps its list complete; social meta after latest_updates,
    # whose excerpts it uses.
    "sphinx_sitemap",
    "notfound.extension",
    "zhiyuan.web.robots_txt",
    # each post's share picture (its cover, or a card drawn after reading), in its OpenGraph
    # tags and its JSON-LD Article
    "zhiyuan.web.share_cards",
    "zhiyuan.web.social_meta",
    "zhiyuan.web.json_ld",
    "zhiyuan.pages.feeds",
    # the date each page last changed, from git (sphinx-last-updated-by-git), for post_extras
    "zhiyuan.pages.last_updated",
    "zhiyuan.pages.post_extras",
    # tabs, dropdowns, cards and grids (sphinx-design, styled to the site)
    "zhiyuan.pages.design",
    # figures: numbers in posts, alt text required, sized lazy images that zoom
    "zhiyuan.pages.figures",
    # diagrams (Mermaid, Graphviz) and plots (Matplotlib) made at build time: figures whose
    # images are SVG files drawn after reading (diagrams) or while reading (plots)
    "zhiyuan.pages.diagrams",
    "zhiyuan.pages.plots",
    # hover previews: links to terms, sections, posts, footnotes, equations and figures show
    # what they point at (a post-transform marks them; each page's previews are written with it)
    "zhiyuan.pages.previews",
    # Safe pages: rel="noopener" on external links; no inline script or style
    # (strict_csp's html-page-context runs last, at priority 900).
    "zhiyuan.web.external_links",
    "zhiyuan.theme.strict_csp",
    # one render-blocking style sheet and deferred scripts (html-page-context at 950, after
    # everything that adds CSS or scripts to a page)
    "zhiyuan.theme.page_assets",
    # Fast rebuilds: compiled templates kept between builds; sphinx-sitemap's page list
    # in process (it wraps sphinx-sitemap's handler, so it comes after it).
    "zhiyuan.theme.template_cache",
    "zhiyuan.compat.sphinx_sitemap",
)


def setup(app: Sphinx) -> dict[str, Any]:
    """Set up every part, in :data:`PARTS` order."""
    for part in PARTS:
        app.setup_extension(part)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
