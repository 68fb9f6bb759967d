"""Patches of other packages (_ext/zhiyuan/compat/) apply only to the versions they were written
for; outside those, upstream's behaviour stays and one warning names the package and version."""

from __future__ import annotations

import ast
import importlib
import re
import shutil

from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from packaging.specifiers import SpecifierSet

import zhiyuan.compat
import zhiyuan.compat.ablog
from zhiyuan.compat import Patch, installed
from zhiyuan.compat.myst_parser import PATCH as MYST_PATCH
from zhiyuan.compat.myst_parser import _positional_label
from zhiyuan.compat.sphinx_sitemap import PATCH as SITEMAP_PATCH

from helpers import REPO, build

_EQUATION_IDS = re.compile(r'id="equation-([^"]+)"')


def _amsmath_site(rootdir, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-math", src)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "zhiyuan.compat.myst_parser"]\n'
        'myst_enable_extensions = ["dollarmath", "amsmath"]\n', encoding="utf-8")
    return src


def _patches():
    """Every Patch declared in compat/, with its module's name."""
    for path in sorted((REPO / "_ext/zhiyuan/compat").glob("*.py")):
        if path.stem != "__init__":
            module = importlib.import_module(f"zhiyuan.compat.{path.stem}")
            for value in vars(module).values():
                if isinstance(value, Patch):
                    yield path.stem, value


def test_the_installed_versions_are_those_the_patches_were_written_for():
    patches = list(_patches())
    assert {name for name, _ in patches} == {
        "ablog", "myst_parser", "notfound", "pydata_sphinx_theme", "sphinx", "sphinx_sitemap",
        "sphinxcontrib_katex", "sphinxext_opengraph", "sphinx_last_updated_by_git", "sphinx_autobuild",
    }
    for _, patch in patches:
        assert installed(patch.package) in SpecifierSet(patch.tested), patch


def test_within_its_versions_the_patch_gives_positional_ids(rootdir, tmp_path, monkeypatch):
    app = build(_amsmath_site(rootdir, tmp_path, monkeypatch), freshenv=True)
    assert app.warning.getvalue() == ""
    assert SphinxRenderer._random_label is _positional_label
    ids = _EQUATION_IDS.findall((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert ids and all(re.fullmatch(r"[0-9a-f]{12}-\d+", i) for i in ids)


def test_outside_its_versions_upstream_behaviour_stays_and_a_warning_says_why(rootdir, tmp_path, monkeypatch):
    monkeypatch.setattr(zhiyuan.compat, "installed", lambda package: "99.0")
    app = build(_amsmath_site(rootdir, tmp_path, monkeypatch), freshenv=True)
    warnings = app.warning.getvalue()
    assert "myst-parser 99.0 is not a version our patch of it was written for (>=5.0,<5.3)" in warnings
    assert "[compat.version]" in warnings and warnings.count("[compat.version]") == 1
    assert SphinxRenderer._random_label is not _positional_label
    ids = _EQUATION_IDS.findall((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert ids and not any(re.fullmatch(r"[0-9a-f]{12}-\d+", i) for i in ids)  # MyST's random labels


def test_every_patch_module_declares_its_versions_and_upstream_md_lists_it():
    upstream = (REPO / "UPSTREAM.md").read_text(encoding="utf-8")
    for name, patch in _patches():
        assert SpecifierSet(patch.tested) and patch.without_it
        assert f"compat/{name}.py" in upstream, name
    assert installed("no-such-package-zhiyuan") is None


# Other packages' modules, which only compat/ imports (Sphinx's and docutils' public API aside;
# feedgen is used through its public API).
_UPSTREAM_MODULES = {
    "ablog", "myst_parser", "notfound", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_sitemap",
    "sphinxcontrib", "sphinxext", "sphinx_autobuild",
}
# Internal attributes of other packages (Sphinx's included) that only compat/ touches.
_UPSTREAM_INTERNALS = {
    "listeners", "_dict", "build_info", "ablog_posts", "_random_label",
    "handle_page", "catalogs", "references", "git_last_updated", "toc_fignumbers",
}


def _outside_compat():
    for path in sorted((REPO / "_ext/zhiyuan").rglob("*.py")):
        if "compat" not in path.relative_to(REPO / "_ext/zhiyuan").parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_only_compat_imports_other_packages_or_touches_their_internals():
    found = []
    for path, tree in _outside_compat():
        where = path.relative_to(REPO).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                names = []
            found += [f"{where}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in _UPSTREAM_MODULES]
            if isinstance(node, ast.Attribute) and node.attr in _UPSTREAM_INTERNALS:
                found.append(f"{where}:{node.lineno} reads .{node.attr}")
            if isinstance(node, ast.Constant) and node.value in _UPSTREAM_INTERNALS - {"catalogs", "references"}:
                found.append(f"{where}:{node.lineno} names {node.value!r}")
    assert found == []


def test_the_scan_finds_what_it_looks_for():
    tree = ast.parse("import ablog.blog\nfrom sphinxext.opengraph import get_tags\napp.events.listeners\n")
    kinds = [type(n).__name__ for n in ast.walk(tree)
             if isinstance(n, (ast.Import, ast.ImportFrom)) or (isinstance(n, ast.Attribute) and n.attr in _UPSTREAM_INTERNALS)]
    assert kinds == ["Import", "ImportFrom", "Attribute"]


def test_outside_its_versions_ablog_writes_its_own_pages_and_a_warning_says_why(rootdir, tmp_path, monkeypatch):
    real = zhiyuan.compat.installed
    monkeypatch.setattr(zhiyuan.compat, "installed", lambda package: "99.0" if package == "ablog" else real(package))
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-incremental", src)
    # Out of range, nothing clears ablog's process-wide blog between applications (that is one of
    # the patches); a build is one process, but this test shares one with earlier builds.
    zhiyuan.compat.ablog.forget_blog()
    app = build(src, freshenv=True)
    warnings = app.warning.getvalue()
    assert warnings.count("[compat.version]") == 1, warnings
    assert "ablog 99.0 is not a version our patch of it was written for (>=0.11.13,<0.12)" in warnings
    assert "every archive page and feed is written on every build" in warnings
    # ablog's own listeners are still connected, and wrote its pages and feeds
    handlers = {listener.handler.__module__ for listener in app.events.listeners["html-collect-pages"]}
    assert "ablog.post" in handlers
    assert (app.outdir / "blog/category/machine-learning.html").is_file() or list((app.outdir / "blog/category").glob("*.html"))
    assert (app.outdir / "blog/atom.xml").is_file()
    assert not app.extensions["ablog"].parallel_read_safe


_OPENGRAPH_AFTER_START = """
import sys
from sphinx.application import Sphinx
src, out = sys.argv[1], sys.argv[2]
Sphinx(src, src, out + "/html", out + "/doctrees", "html", status=None)
import sphinxext.opengraph as opengraph
print("matplotlib" in sys.modules, opengraph.create_social_card is not None)
"""


def test_sphinxext_opengraph_imports_matplotlib_only_for_social_cards(rootdir, tmp_path):
    import os
    import subprocess
    import sys

    def started(src):  # a fresh interpreter: what a build imports
        result = subprocess.run([sys.executable, "-c", _OPENGRAPH_AFTER_START, str(src), str(tmp_path / src.name)],
                                capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONPATH": str(REPO / "_ext")})
        return result.stdout.split()

    off = tmp_path / "off"
    shutil.copytree(rootdir / "test-seo", off)
    assert started(off) == ["False", "False"]  # cards off (the site): no matplotlib

    on = tmp_path / "on"
    shutil.copytree(rootdir / "test-seo", on)
    conf = on / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('ogp_social_cards = {"enable": False}\n', ""),
                    encoding="utf-8")
    assert started(on) == ["True", "True"]  # cards wanted: sphinxext-opengraph has them, as without us
