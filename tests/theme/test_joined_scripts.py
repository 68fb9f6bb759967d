"""page_assets joins each page's deferred scripts into one file: the scripts the page would load
one by one, in their order, in one request whose tag carries their data attributes, held until
the page is first drawn (or only deferred, ``page_assets_after_paint = False``); a script
whose data attribute would clash stays a script of its own; the same files with ``-j 2``; files
no page links any more are deleted, and a page not written again keeps its own, also in the site
the staged build publishes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from zhiyuan.theme.page_assets import AFTER_PAINT

from helpers import REPO, build, page_scripts, soup

PAGES = ("index", "code", "tabs", "conflict")
JOINED = "_static/zhiyuan-js/"


@pytest.fixture(scope="module")
def app(build_root):
    return build_root("joined-scripts", freshenv=True)


@pytest.fixture(scope="module")
def separate(build_root):
    """The same project with joining off: what each page loads one script at a time."""
    return build_root("joined-scripts", freshenv=True, confoverrides={"page_assets_join_scripts": False})


@pytest.fixture(scope="module")
def after_paint_off(build_root):
    """The same project with the scripts loading deferred, not after the first paint."""
    app = build_root("joined-scripts", freshenv=True, confoverrides={"page_assets_after_paint": False})
    assert app.warning.getvalue() == ""
    return app


def _tags(app, page: str) -> list[tuple[str, dict]]:
    """The page's script tags: (src without query, attributes but src)."""
    return [
        (tag["src"].split("?")[0], {key: value for key, value in tag.attrs.items() if key != "src"})
        for tag in soup(app.outdir / f"{page}.html").select("script[src]")
    ]


def _joined_files(app) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((app.outdir / JOINED).glob("*"))}


def _expected(app, names: list[str]) -> str:
    """The joined file of the scripts *names* (under ``_static/``), as the module docstring of
    ``zhiyuan.theme.page_assets.js`` describes it."""
    text = f"/* joined by zhiyuan.theme.page_assets: {' '.join(names)} */\nvoid 0;\n"
    for name in names:
        part = (app.outdir / "_static" / name).read_text(encoding="utf-8")
        part = re.sub(r"^//# sourceMappingURL=.*$", "", part, flags=re.MULTILINE)
        text += f"/* {name} */\n{part}\n;\n"
    return text


def test_builds_without_warnings(app, separate):
    assert app.warning.getvalue() == ""
    assert separate.warning.getvalue() == ""


@pytest.mark.parametrize("page", ["index", "code", "tabs"])
def test_a_page_loads_one_joined_script_after_the_colour_mode_script(app, page):
    (head, head_attributes), (joined, attributes) = _tags(app, page)
    assert head == "_static/strict_csp/head.js" and "defer" not in head_attributes
    assert joined.startswith(JOINED) and attributes["defer"] == "defer"
    assert attributes["type"] == AFTER_PAINT  # head.js starts it once the page is drawn
    # strict_csp/page.js reads its element's data-options: they are the joined script's now
    assert json.loads(attributes["data-options"]) == {"pagename": page, "search_as_you_type": False}
    if page == "tabs":  # design-tabs.js reads its storage prefix from its element
        assert attributes["data-sd-tabs-storage-prefix"] == "sphinx-design-tab-id-"
    else:
        assert "data-sd-tabs-storage-prefix" not in attributes
    assert not soup(app.outdir / f"{page}.html").select('link[rel="preload"][as="script"]')


@pytest.mark.parametrize("page", PAGES)
def test_the_joined_scripts_are_those_the_page_loads_without_joining_in_their_order(app, separate, page):
    joined = [name for name, _ in page_scripts(app.outdir, app.outdir / f"{page}.html")]
    one_by_one = page_scripts(separate.outdir, separate.outdir / f"{page}.html")
    assert joined == [name for name, _ in one_by_one]
    assert all(tag.has_attr("defer") for name, tag in one_by_one if name != "_static/strict_csp/head.js")
    assert not list((separate.outdir / JOINED).glob("*"))
    names = [name.removeprefix("_static/") for name in joined]
    assert names[1:4] == ["documentation_options.js", "doctools.js", "strict_csp/page.js"]
    assert names.index("doctools.js") < names.index("translations.js")
    # the theme's end-of-body scripts, last, and not linked a second time
    assert names[-2:] == ["scripts/bootstrap.js", "scripts/pydata-sphinx-theme.js"]
    assert len(soup(app.outdir / f"{page}.html").select('script[src*="bootstrap.js"]')) == 0
    assert [name for name, _ in _tags(separate, page)][-2:] == [
        "_static/scripts/bootstrap.js", "_static/scripts/pydata-sphinx-theme.js"]


@pytest.mark.parametrize("page", PAGES)
def test_without_after_paint_the_scripts_are_only_deferred(after_paint_off, app, page):
    assert [(src, {**attributes, "type": AFTER_PAINT}) for src, attributes in _tags(after_paint_off, page)[1:]] == (
        _tags(app, page)[1:])
    assert not soup(after_paint_off.outdir / f"{page}.html").select(f'script[type="{AFTER_PAINT}"]')


def test_the_copy_button_is_joined_only_on_the_page_with_code(app):
    def names(page):
        return [name for name, _ in page_scripts(app.outdir, app.outdir / f"{page}.html")]

    assert {"_static/clipboard.min.js", "_static/copybutton.js"} <= set(names("code"))
    assert "_static/copybutton.js" not in names("index")
    assert "_static/sphinx_highlight.js" not in names("index")  # page_assets_left_out
    assert "_static/design-tabs.js" in names("tabs") and "_static/design-tabs.js" not in names("code")


def test_a_joined_file_is_its_parts_in_order_each_after_its_name(app):
    files = {}
    for page in PAGES:
        for src, _ in _tags(app, page):
            if src.startswith(JOINED):
                text = (app.outdir / src).read_text(encoding="utf-8")
                names = text.partition("\n")[0].removeprefix("/* joined by zhiyuan.theme.page_assets: ")
                files[src] = names.removesuffix(" */").split(" ")
    assert len(files) == 5  # one per page, and the conflict page's second run
    for src, names in files.items():
        assert (app.outdir / src).read_text(encoding="utf-8") == _expected(app, names)
        assert re.fullmatch(r"_static/zhiyuan-js/[0-9a-f]{16}\.js", src)
    assert not any("sourceMappingURL" in (app.outdir / src).read_text(encoding="utf-8") for src in files)
    assert sorted(path.name for path in (app.outdir / JOINED).iterdir()) == sorted(
        src.removeprefix(JOINED) for src in files)


def test_a_script_whose_data_attribute_clashes_stays_a_script_of_its_own_in_its_place(app):
    (_, _), (first, first_attributes), (second, second_attributes), (third, third_attributes) = _tags(
        app, "conflict")
    assert first.startswith(JOINED) and first_attributes["data-zy-sample"] == "一"
    assert (app.outdir / first).read_text(encoding="utf-8").endswith("/* zy-one.js */\n" + (
        app.outdir / "_static/zy-one.js").read_text(encoding="utf-8") + "\n;\n")
    assert second == "_static/zy-two.js"
    assert second_attributes == {"data-zy-sample": "二", "defer": "defer", "type": AFTER_PAINT}
    # what comes after it is joined again, after it
    assert third.startswith(JOINED) and "data-zy-sample" not in third_attributes
    assert (app.outdir / third).read_text(encoding="utf-8").partition("\n")[0] == (
        "/* joined by zhiyuan.theme.page_assets: zy-three.js scripts/bootstrap.js scripts/pydata-sphinx-theme.js */")


def test_a_parallel_build_writes_the_same_files_and_tags(app, build_root):
    parallel = build_root("joined-scripts", freshenv=True, parallel=2)
    assert parallel.warning.getvalue() == ""
    assert _joined_files(parallel) == _joined_files(app)
    for page in PAGES:
        assert _tags(parallel, page) == _tags(app, page)
    assert not [path for path in (parallel.outdir / "_static" / "zhiyuan-js").iterdir() if path.name.startswith(".")]


def test_files_no_page_links_are_deleted_and_pages_not_written_keep_theirs(build_root):
    app = build_root("joined-scripts", freshenv=True)
    folder = app.outdir / JOINED

    def state():
        return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}

    def used(page):
        return next(src for src, _ in _tags(app, page) if src.startswith(JOINED)).removeprefix(JOINED)

    first = state()
    tabs_page = (app.outdir / "tabs.html").stat().st_mtime_ns
    code_file = used("code")
    assert len(first) == 5

    again = build(app.srcdir)  # nothing changed: nothing written, nothing deleted
    assert again.warning.getvalue() == ""
    assert state() == first

    # the only page with code has none now: it loads what the home page loads, and its old file goes
    (app.srcdir / "code.md").write_text("# 代码\n\n没有代码了。\n", encoding="utf-8")
    edited = build(app.srcdir)
    assert edited.warning.getvalue() == ""
    assert (app.outdir / "tabs.html").stat().st_mtime_ns == tabs_page  # not written again: keeps its file
    assert used("code") == used("index")
    assert state() == {name: time for name, time in first.items() if name != code_file}

    # joining off: every page is written again, loading its scripts one by one; no file is left
    off = build(app.srcdir, confoverrides={"page_assets_join_scripts": False})
    assert off.warning.getvalue() == ""
    assert state() == {}
    assert all(not src.startswith(JOINED) for page in PAGES for src, _ in _tags(app, page))


def test_under_the_staged_build_the_published_site_holds_the_files_its_pages_link(rootdir, tmp_path):
    src, out = tmp_path / "src", tmp_path / "_build"
    shutil.copytree(rootdir / "test-joined-scripts", src)
    command = [sys.executable, str(REPO / "_ext/zhiyuan/tools/staged_build.py"), str(src), str(out / "html"),
               str(out / "doctrees"), "-b", "html", "-W", "--keep-going", "-q"]
    with_code = (src / "code.md").read_text(encoding="utf-8")
    # built, then the only page with code loses it (its file goes), then gets it back (it comes back)
    for code in (with_code, "# 代码\n\n没有代码了。\n", with_code):
        (src / "code.md").write_text(code, encoding="utf-8")
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        linked = {tag["src"].split("?")[0].removeprefix(JOINED)
                  for page in PAGES for tag in soup(out / "html" / f"{page}.html").select("script[src]")
                  if tag["src"].startswith(JOINED)}
        assert sorted(path.name for path in (out / "html" / JOINED).iterdir()) == sorted(linked)
        assert len(linked) == (5 if code == with_code else 4)
