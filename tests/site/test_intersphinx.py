"""Other Sphinx projects link into the portal through its objects.inv."""

from __future__ import annotations

import posixpath
import shutil

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from articles import POSTS
from helpers import soup

pytestmark = pytest.mark.site

BASE = "https://zhiyuan-portal.readthedocs.io/zh-cn/latest/"


@pytest.fixture(scope="module")
def inventory(site):
    with (site / "objects.inv").open("rb") as stream:
        return InventoryFile.load(stream, BASE, posixpath.join)


def test_every_post_label_is_in_the_inventory(inventory):
    labels = inventory["std:label"]
    for path in POSTS:
        slug, year = path.stem, path.parent.name
        assert labels[slug].uri == f"{BASE}posts/{year}/{slug}.html#{slug}"


def test_category_and_tag_archives_are_labels_in_the_inventory(inventory):
    labels = inventory["std:label"]
    assert labels["category-large-model"].uri == f"{BASE}blog/category/large-model.html"
    assert labels["category-large-model"].display_name == "Large Model"
    assert labels["tag-rlhf"].uri == f"{BASE}blog/tag/rlhf.html"


def test_glossary_has_at_least_80_terms_in_the_inventory(inventory):
    terms = inventory["std:term"]
    assert len(terms) >= 80
    assert all(item.uri.startswith(f"{BASE}glossary.html#term-") for item in terms.values())


def test_an_external_project_links_to_a_post_and_a_term(rootdir, tmp_path, site):
    src = tmp_path / "consumer"
    shutil.copytree(rootdir / "test-consumer", src)
    app = SphinxTestApp(
        "html", srcdir=src, freshenv=True,
        confoverrides={"intersphinx_mapping": {"portal": (BASE, str(site / "objects.inv"))}},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    links = {a.get_text(): a["href"] for a in soup(app.outdir / "index.html").select("a.reference.external")}
    dpo = next(path for path in POSTS if path.stem == "dpo")
    post_title = next(l for l in dpo.read_text(encoding="utf-8").split("\n") if l.startswith("# "))[2:]
    assert links[post_title] == f"{BASE}posts/{dpo.parent.name}/dpo.html#dpo"
    assert links["梯度检查点"].startswith(f"{BASE}glossary.html#term-")
    assert links["Reinforcement Learning"] == f"{BASE}blog/category/reinforcement-learning.html"
    assert links["rlhf"] == f"{BASE}blog/tag/rlhf.html"
