"""External links carry rel="noopener" (_ext/zhiyuan/web/external_links.py), with the theme's translator intact."""

from __future__ import annotations

import shutil
import zlib

import pytest
from docutils import nodes

from zhiyuan.web.external_links import add_rel

from helpers import build, soup

INVENTORY = (
    b"# Sphinx inventory version 2\n"
    b"# Project: Other\n"
    b"# Version: 1.0\n"
    b"# The remainder of this file is compressed using zlib.\n"
) + zlib.compress(b"other-label std:label -1 page.html#other-label Other label\n")

EXTERNAL = {
    "https://www.python.org/",
    "https://example.org/auto",
    "mailto:editor%40example.org",  # MyST percent-encodes the @
    "https://other.example.org/page.html#other-label",
    "https://www.sphinx-doc.org/",
}


@pytest.fixture(scope="module", params=["html", "dirhtml"])
def outdir(request, rootdir, tmp_path_factory):
    src = tmp_path_factory.mktemp(f"external-links-{request.param}") / "src"
    shutil.copytree(rootdir / "test-external-links", src)
    (src / "objects.inv").write_bytes(INVENTORY)
    app = build(src, buildername=request.param)
    assert app.warning.getvalue() == ""
    return app.outdir


def _index(outdir):
    return soup(outdir / "index.html")


def test_every_external_link_has_rel_noopener(outdir):
    links = _index(outdir).select("article a.reference.external")
    assert {a["href"] for a in links} == EXTERNAL
    for a in links:
        assert "noopener" in a.get("rel", []), a


def test_external_links_on_other_pages_too(outdir):
    page = soup(outdir / ("other.html" if (outdir / "other.html").exists() else "other/index.html"))
    (pypi,) = page.select("article a.reference.external")
    assert pypi["href"] == "https://pypi.org/"
    assert pypi["rel"] == ["noopener"]


def test_internal_links_are_untouched(outdir):
    internal = _index(outdir).select("article a.reference.internal")
    assert len(internal) >= 2
    assert all("rel" not in a.attrs for a in internal)


def test_the_themes_translator_still_applies(outdir):
    # pydata-sphinx-theme wraps the translator at builder-inited: tables get its
    # Bootstrap class and scroll container, and its links stay external.
    table = _index(outdir).select_one("article div.pst-scrollable-table-container > table.table")
    assert table is not None
    assert table.select_one("a.reference.external")["rel"] == ["noopener"]


def test_existing_rel_tokens_are_kept_once():
    node = nodes.reference("", "x", refuri="https://example.org/", rel="nofollow")
    add_rel(node)
    add_rel(node)
    assert node["rel"] == "nofollow noopener"


@pytest.mark.site
def test_every_external_link_on_the_site_has_rel_noopener(site):
    found = set()
    for path in sorted(site.rglob("*.html")):
        if path.relative_to(site).parts[0] == "_static":
            continue
        for a in soup(path).select("a.reference.external"):
            found.add(path.relative_to(site).parts[0])
            assert "noopener" in a.get("rel", []), (path.relative_to(site).as_posix(), a["href"])
    assert {"posts", "about.html"} <= found
