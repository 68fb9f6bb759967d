"""Patches of other packages (_ext/zhiyuan/compat/) apply only to the versions they were written
for; outside those, upstream's behaviour stays and one warning names the package and version."""

from __future__ import annotations

import importlib
import re
import shutil

from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from packaging.specifiers import SpecifierSet

import zhiyuan.compat
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


def test_the_installed_versions_are_those_the_patches_were_written_for():
    for patch in (MYST_PATCH, SITEMAP_PATCH):
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
    modules = sorted(p.stem for p in (REPO / "_ext/zhiyuan/compat").glob("*.py") if p.stem not in ("__init__", "listeners"))
    assert modules == ["myst_parser", "sphinx_sitemap"]
    for name in modules:
        patch = importlib.import_module(f"zhiyuan.compat.{name}").PATCH
        assert isinstance(patch, Patch) and SpecifierSet(patch.tested) and patch.without_it
        assert f"compat/{name}.py" in upstream, name
    assert installed("no-such-package-zhiyuan") is None
