"""The scripts of a page joined into one (zhiyuan.theme.page_assets.js), run in Node.js as a
browser runs a classic script: each part runs as it did on its own."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from zhiyuan.theme.page_assets.js import join, joinable_name, part_names, without_source_maps

_NODE = shutil.which("node") or "node"  # installed with npm, which the site's assets need


def _run(script: str) -> list:
    """Run *script* as a classic script (not a module, not a function body); return what it
    pushed onto ``globalThis.seen``."""
    program = (
        "const vm = require('vm'); globalThis.seen = [];"
        "vm.runInThisContext(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(globalThis.seen));"
    )
    result = subprocess.run([_NODE, "-e", program], input=script, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_a_strict_part_does_not_make_the_others_strict():
    strict = '"use strict";\nseen.push(typeof this);\n'
    sloppy = "undeclared = 1;\nseen.push((function () { return this === globalThis; })());\n"
    assert _run(join([("strict.js", strict), ("sloppy.js", sloppy)])) == ["object", True]
    with pytest.raises(subprocess.CalledProcessError):  # what a strict first statement would do
        _run(strict + sloppy)


def test_parts_share_the_global_scope_as_scripts_do():
    first = "const shared = 2;\nfunction twice(x) { return shared * x; }\nvar counter = 1;"
    second = "seen.push(twice(3), counter, typeof shared);"
    assert _run(join([("first.js", first), ("second.js", second)])) == [6, 1, "number"]


def test_a_part_cannot_run_on_into_the_next():
    # no semicolon, and a line comment without a line break: the next part's "(" would call it
    first = "seen.push('first')\nvar f = function () { seen.push('called') }\n// the end"
    second = "(function () { seen.push('second'); })()"
    assert _run(join([("first.js", first), ("second.js", second)])) == ["first", "second"]


def test_each_part_follows_its_name_and_the_names_head_the_file():
    text = join([("doctools.js", "a();\n"), ("scripts/bootstrap.js", "\ufeffb();\n//# sourceMappingURL=bootstrap.js.map\n")])
    assert text.startswith("/* joined by zhiyuan.theme.page_assets: doctools.js scripts/bootstrap.js */\nvoid 0;\n")
    assert "/* doctools.js */\na();\n\n;\n/* scripts/bootstrap.js */\nb();\n" in text
    assert "sourceMappingURL" not in text and "\ufeff" not in text
    assert part_names(text) == ["doctools.js", "scripts/bootstrap.js"]
    assert part_names("a();\n") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a();\n//# sourceMappingURL=a.js.map\n", "a();\n\n"),
        ("a();\n//@ sourceMappingURL=a.js.map", "a();\n"),
        ("a();\n/*# sourceMappingURL=a.js.map */\n", "a();\n\n"),
        ('const s = "//# sourceMappingURL=x";\n', 'const s = "//# sourceMappingURL=x";\n'),
    ],
)
def test_source_map_comments_go(text, expected):
    assert without_source_maps(text) == expected


@pytest.mark.parametrize(("name", "joinable"), [("doctools.js", True), ("scripts/a.js", True),
                                                 ("a*/b.js", False), ("a b.js", False)])
def test_names_that_would_end_a_comment_or_split_the_list_are_not_joined(name, joinable):
    assert joinable_name(name) is joinable
