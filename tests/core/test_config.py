"""One declaration of our settings (_ext/zhiyuan/config.py) and one registry of our warnings
(_ext/zhiyuan/diagnostics.py): bad values stop the build naming the value; the code logs only
registered warnings; ARCHITECTURE.md lists both."""

from __future__ import annotations

import ast
import shutil

import pytest
from sphinx.errors import ConfigError

from zhiyuan.config import SETTINGS, check_value
from zhiyuan.diagnostics import WARNINGS

from helpers import REPO, build

PACKAGE = REPO / "_ext" / "zhiyuan"
ALL_SETTINGS = {s.name: s for part in SETTINGS.values() for s in part}


def test_each_setting_is_declared_once_and_its_default_passes_its_check():
    names = [s.name for part in SETTINGS.values() for s in part]
    assert len(names) == len(set(names))
    for setting in ALL_SETTINGS.values():
        assert check_value(setting, setting.default) is None, setting.name
        assert setting.rebuild in ("env", "html", "")
        assert setting.doc


@pytest.mark.parametrize("name, value, problem", [
    ("latest_updates_per_page", 0, "must be a positive integer"),
    ("latest_updates_per_page", "10", "must be of type int, not str"),
    ("latest_updates_per_page", True, "must be of type int, not bool"),
    ("latest_updates_placeholders", {"code": "[code]", "video": "[视频]"}, "unknown keys ['video']"),
    ("latest_updates_category_page", "blog/category", "must contain '{slug}'"),
    ("latest_updates_post_pattern", ["posts/*", 3], "must be a list of strings"),
    ("post_frontmatter_timezone", "Mars/Olympus_Mons", "is not a time zone"),
    ("post_extras_reading_rates", {"cjk_per_minute": 0}, "positive number"),
    ("post_extras_related_count", -1, "must not be negative"),
    ("post_extras_series_titles", {"rl": 3}, "must map strings to strings"),
    ("feeds_extra_length", 0, "must be a positive integer"),
    ("katex_ssr_macros", {"\\E": ["x"]}, "must map strings to strings"),
    ("robots_txt_disallow", "/drafts/", "must be of type list or tuple"),
])
def test_a_bad_value_says_what_is_wrong(name, value, problem):
    assert problem in check_value(ALL_SETTINGS[name], value)


def test_a_bad_value_stops_the_build_naming_it(rootdir, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-latest", src)
    with pytest.raises(ConfigError, match=r"latest_updates_per_page = 0 must be a positive integer"):
        build(src, freshenv=True, confoverrides={"latest_updates_per_page": 0})


def _logged_warnings() -> set[tuple[str, str]]:
    """Every (type, subtype) the package's code can log, read from its source."""
    pairs: set[tuple[str, str]] = set()
    frontmatter_subtypes = {"invalid"}  # FrontMatterError's default
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("FrontMatterError", "_warn"):
                literals = [a.value for a in node.args[2:] if isinstance(a, ast.Constant)]
                literals += [v.value for k, v in keywords.items() if k == "subtype" and isinstance(v, ast.Constant)]
                frontmatter_subtypes.update(literals)
            if isinstance(keywords.get("type"), ast.Constant):
                subtype = keywords.get("subtype")
                assert subtype is not None, f"{path.name}:{node.lineno}: a warning without a subtype"
                if isinstance(subtype, ast.Constant):
                    pairs.add((keywords["type"].value, subtype.value))
                else:
                    assert keywords["type"].value == "post_frontmatter", f"{path.name}:{node.lineno}"
    pairs |= {("post_frontmatter", subtype) for subtype in frontmatter_subtypes}
    return pairs


def test_the_code_logs_only_registered_warnings_and_every_registered_one():
    registered = {(t, s) for t, subtypes in WARNINGS.items() for s in subtypes}
    assert _logged_warnings() == registered


def test_architecture_lists_every_setting_and_every_warning():
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in ALL_SETTINGS:
        assert f"`{name}`" in text, name
    for type_, subtypes in WARNINGS.items():
        for subtype in subtypes:
            assert f"`{type_}.{subtype}`" in text, (type_, subtype)
