"""The blog's sidebars render one view, and each template's fingerprint is the digest of its parts of it
(_ext/zhiyuan/pages/ablog_sidebars.py)."""

from __future__ import annotations

import jinja2
import pytest

from zhiyuan.pages import ablog_sidebars
from zhiyuan.pages.ablog_sidebars import TEMPLATE_PARTS, SidebarView, template_fingerprint

from helpers import REPO

TEMPLATES = REPO / "_ext/zhiyuan/theme/portal/templates"


class _OnlyParts:
    """A view that answers only the parts a template declares; anything else fails the test."""

    def __init__(self, view: SidebarView, parts: tuple[str, ...]) -> None:
        self._view, self._parts = view, parts

    def part(self, name):
        assert name in self._parts, f"the template renders {name!r}, which TEMPLATE_PARTS does not give it"
        return self._view.part(name)

    def recent(self, pagename):
        assert "recent" in self._parts, "the template renders the recent posts without declaring 'recent'"
        return self._view.recent(pagename)

    def neighbours_of(self, pagename):
        assert "neighbours" in self._parts, "the template renders a post's neighbours without declaring them"
        return self._view.neighbours_of(pagename)


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("blog", freshenv=True)


def _render(template: str, sidebar, pagename: str = "posts/2025/rl-intro") -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                                     undefined=jinja2.StrictUndefined)
    context = {
        "ablog_sidebar": sidebar, "pagename": pagename, "gettext": lambda text: text,
        "pathto": lambda target, *args: f"/{target}", "anchor": lambda post: f"#{post.section}" if post.section else "",
        "ablog": type("AblogConfig", (), {"post_date_format_short": "%Y-%m-%d", "post_show_prev_next": True})(),
    }
    return environment.get_template(template).render(context)


@pytest.mark.parametrize("template", sorted(TEMPLATE_PARTS))
def test_each_sidebar_template_renders_only_its_parts_of_the_view(app, template):
    assert app.warning.getvalue() == ""
    view = ablog_sidebars.view(app)
    html = _render(template, _OnlyParts(view, TEMPLATE_PARTS[template]))
    shown = [view.part(name) for name in TEMPLATE_PARTS[template] if name != "blog_path"]
    # a sidebar whose collections are all empty (no post names a language here) shows nothing
    assert ('class="ablog-sidebar-item' in html) == any(shown), html
    assert html == _render(template, view)


def test_the_view_holds_what_ablog_shows(app):
    view = ablog_sidebars.view(app)
    assert [post.docname for post in view.recent("index")] == [post.docname for post in view.newest][:5]
    assert all(post.docname != "posts/2025/rl-intro" for post in view.recent("posts/2025/rl-intro"))
    categories = view.part("category")
    assert categories.docname == "blog/category" and categories.links
    assert all(link.count >= 1 and link.docname.startswith("blog/category/") for link in categories.links)
    assert all(1 <= link.size <= 5 for link in view.part("tags").links)
    assert all(link.count == 0 for link in view.part("category:names").links)


def test_a_fingerprint_follows_exactly_its_parts(app):
    view = ablog_sidebars.view(app)
    retitled = SidebarView(view.blog_path, (view.newest[0].__class__(**{**vars(view.newest[0]), "title": "新标题"}),
                                            *view.newest[1:]), view.catalog_views)
    changed = {t for t in TEMPLATE_PARTS if template_fingerprint(view, t) != template_fingerprint(retitled, t)}
    assert changed == {"ablog/recentposts.html"}


def test_the_post_navigation_renders_only_the_posts_neighbours(app):
    view = ablog_sidebars.view(app)
    docnames = [docname for docname, *_ in view.neighbours]
    assert "posts/2025/rl-intro" in docnames and "posts/2099/future" not in docnames  # published posts only
    html = _render("ablog/postnavy.html", _OnlyParts(view, ("neighbours",)))
    assert 'class="section ablog__prev-next"' in html and html == _render("ablog/postnavy.html", view)
    previous, following = view.neighbours_of("posts/2025/rl-intro")
    assert (previous is not None and previous.title in html) or (following is not None and following.title in html)
    assert _render("ablog/postnavy.html", view, pagename="index").strip() == ""


def test_a_retitle_changes_the_navigation_fingerprint_of_exactly_its_neighbours(app):
    view = ablog_sidebars.view(app)
    target = "posts/2025/rl-intro"

    def retitle(post):
        return None if post is None else post.__class__(**{**vars(post), "title": "新标题"}) if post.docname == target else post

    retitled = SidebarView(view.blog_path, view.newest, view.catalog_views,
                           tuple((doc, retitle(prev), retitle(nxt)) for doc, prev, nxt in view.neighbours))
    before, after = ablog_sidebars.neighbour_fingerprints(view), ablog_sidebars.neighbour_fingerprints(retitled)
    changed = {doc for doc in before if before[doc] != after[doc]}
    expected = {doc for doc, prev, nxt in view.neighbours if target in (getattr(prev, "docname", None), getattr(nxt, "docname", None))}
    assert changed == expected and expected
