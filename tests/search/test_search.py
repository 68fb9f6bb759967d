"""The site's search (_ext/zhiyuan/search): its index built with the site, incrementally, and its
page, on a small project (tests/roots/test-search)."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from zhiyuan.search import documents

from helpers import build, search_index, soup


@pytest.fixture
def src(rootdir, tmp_path):
    path = tmp_path / "src"
    shutil.copytree(rootdir / "test-search", path)
    return path


def _pages(index: dict) -> dict[str, list]:
    return {url: rest for url, *rest in index["pages"]}


def test_the_index_lists_published_pages_articles_first(src):
    app = build(src, freshenv=True)
    assert app.warning.getvalue() == ""
    index = search_index(app.outdir)
    urls = [url for url, *_ in index["pages"]]
    assert urls[:2] == ["posts/2025/checkpointing.html", "posts/2025/hostile.html"]  # newest first
    assert set(urls[2:]) == {"glossary.html", "index.html"}
    assert not any("future" in url for url in urls)  # a post dated in the future is a draft
    pages = _pages(index)
    assert pages["posts/2025/checkpointing.html"][:4] == ["用计算换显存：重算的代价", "Large Model", "2025-03-01", 0]
    assert pages["glossary.html"][3] == 1 and pages["index.html"][3] == 2
    assert index["categories"] == ["Large Model", "Python"]
    assert not (app.outdir / "searchindex.js").exists()  # Sphinx's own index is not built


def test_terms_are_bigrams_and_identifiers_pointing_at_their_section(src):
    app = build(src, freshenv=True)
    index = search_index(app.outdir)
    number = [url for url, *_ in index["pages"]].index("posts/2025/checkpointing.html")
    sections = index["texts"]["posts/2025/checkpointing.html"]
    assert [anchor for anchor, *_ in sections] == ["", "原理", "变长序列"]
    for term, section in [("显存", 0), ("检查", 1), ("cu_seqlens", 2), ("seqlens", 2), ("zero-3", 2),
                          ("zero3", 2), ("torch.utils.checkpoint", 1), ("checkpoint", 1)]:
        postings = index["terms"][term]
        found = {postings[i]: postings[i + 2] for i in range(0, len(postings), 3)}
        assert found.get(number) == section, term
    assert "不进" in index["terms"] and not any("a^2" in term for term in index["terms"])  # no TeX
    assert "公式 \ue000 不进索引" in sections[1][2]  # the formula is only marked in the text
    assert "checkpoint(block, x" in sections[1][3]  # code is kept apart


def test_a_glossary_entry_lends_its_terms_to_the_article_it_points_to(src):
    app = build(src, freshenv=True)
    index = search_index(app.outdir)
    number = [url for url, *_ in index["pages"]].index("posts/2025/checkpointing.html")
    postings = index["terms"]["activation"]
    assert postings[0] == number  # the article, above the glossary that defines the term
    assert ["梯度检查点", "激活检查点", "activation checkpointing"] in index["synonyms"]
    assert ["混合专家", "mixture of experts", "moe"] in index["synonyms"]


def test_the_search_page_has_a_field_and_no_script_of_its_own(src):
    app = build(src, freshenv=True)
    page = soup(app.outdir / "search.html")
    assert page.select_one("title").get_text().startswith("搜索")
    assert page.select_one(".zs-search-page form.bd-search input[name=q]") is not None
    assert page.select_one(".zs-search-page #search-results") is not None
    assert not page.select(".zs-search-page script, article script")  # (strict_csp: tests/browser/test_csp.py)
    for path in app.outdir.rglob("*.html"):
        if "_static" in path.parts:
            continue
        html = soup(path)
        scripts = [s for s in html.select("script[src]") if "zhiyuan-search.js" in s["src"]]
        assert len(scripts) == 1 and scripts[0].has_attr("defer"), path
        # no page asks for search data before the reader opens search
        assert "_search/" not in str(html), path


def test_a_no_op_rebuild_does_not_reindex_and_an_edit_replaces_the_old_files(src):
    first = build(src, freshenv=True)
    folder = first.outdir / "_search"
    written = {path: path.stat().st_mtime_ns for path in folder.rglob("*.json")}
    noop = build(src)
    assert noop.warning.getvalue() == ""
    assert {path: path.stat().st_mtime_ns for path in folder.rglob("*.json")} == written

    post = src / "posts/2025/hostile.md"
    post.write_text(post.read_text(encoding="utf-8").replace("正文提到", "正文改为提到自然梯度，"), encoding="utf-8")
    edit = build(src)
    assert edit.warning.getvalue() == ""
    index = search_index(edit.outdir)
    assert "自然" in index["terms"]
    listed = {f"_search/{name}" for name in index["shards"]} | {
        f"_search/{text}/{path.name}" for *_, text in index["pages"] for path in (folder / text).iterdir()}
    on_disk = {path.relative_to(edit.outdir).as_posix() for path in folder.rglob("*.json")} - {"_search/index.json"}
    assert on_disk == listed  # the last index's files are gone
    unchanged = _pages(index)["posts/2025/checkpointing.html"][4]
    kept = [path for path in written if path.parent.name == unchanged.split("/")[-1]]
    assert kept and all(path.stat().st_mtime_ns == written[path] for path in kept)  # a browser keeps them


def test_the_environment_keeps_no_text_and_an_edit_counts_the_terms_of_the_edited_page_only(src):
    first = build(src, freshenv=True)
    # a section's text and code are kept with the document's doctree, not on the pickled environment
    kept = pickle.dumps(documents(first.env))
    assert b"use_reentrant" not in kept and "激活值往往".encode() not in kept
    assert b"use_reentrant" in (first.doctreedir / "posts/2025/checkpointing.doctree").read_bytes()
    pages = first.doctreedir / "zhiyuan" / "search_pages"  # each page's line and term weights, by key
    before = {path.name: path.stat().st_mtime_ns for path in pages.iterdir()}
    assert len(before) == len(search_index(first.outdir)["pages"])

    post = src / "posts/2025/hostile.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    edit = build(src)
    assert edit.warning.getvalue() == ""
    after = {path.name: path.stat().st_mtime_ns for path in pages.iterdir()}
    assert len(after) == len(before) and len(after.keys() - before.keys()) == 1  # the edited page's new key
    assert all(after[name] == before[name] for name in after.keys() & before.keys())


def test_the_index_is_the_same_after_an_incremental_build_as_after_a_clean_one(src, tmp_path):
    build(src, freshenv=True)
    post = src / "posts/2025/checkpointing.md"
    post.write_text(post.read_text(encoding="utf-8").replace("## 变长序列", "## 序列打包"), encoding="utf-8")
    incremental = build(src)
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = build(clean_src, freshenv=True)
    assert search_index(incremental.outdir) == search_index(clean.outdir)


def _files(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_an_edit_counts_the_terms_of_the_edited_page_only_and_writes_what_a_clean_build_writes(src, tmp_path):
    build(src, freshenv=True)
    post = src / "posts/2025/checkpointing.md"
    for edit in ("\n多写的一段：重算让显存够用，代价是时间。\n", "\n## 又一节\n\n更多的正文。\n"):
        pages = build(src).doctreedir / "zhiyuan" / "search_pages"
        before = {path.name: path.stat().st_mtime_ns for path in pages.iterdir()}
        post.write_text(post.read_text(encoding="utf-8") + edit, encoding="utf-8")  # a longer page: every score moves
        incremental = build(src)
        assert incremental.warning.getvalue() == ""
        after = {path.name: path.stat().st_mtime_ns for path in pages.iterdir()}
        assert len(after.keys() - before.keys()) == 1  # the edited page's terms counted, no other's
        assert all(after[name] == before[name] for name in after.keys() & before.keys())
        clean_src = tmp_path / f"clean-{len(edit)}"
        shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
        clean = build(clean_src, freshenv=True)
        assert _files(incremental.outdir / "_search") == _files(clean.outdir / "_search")  # names and bytes


def test_an_index_that_cannot_be_written_fails_the_build_saying_why(src):
    first = build(src, freshenv=True)
    shutil.rmtree(first.outdir / "_search")
    (first.outdir / "_search").write_text("a file where the index's folder goes", encoding="utf-8")
    post = src / "posts/2025/hostile.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    app = build(src)
    warnings = app.warning.getvalue()
    assert "the search index could not be written" in warnings and "NotADirectoryError" in warnings, warnings
    assert "[search.index]" in warnings


# ablog is not parallel-safe (Sphinx would fall back to a serial read): leave it out here
_WITHOUT_ABLOG = {"extensions": ["myst_parser", "zhiyuan.search"]}


def test_a_parallel_build_makes_the_same_index(src, tmp_path):
    serial = build(src, freshenv=True, confoverrides=_WITHOUT_ABLOG)
    parallel_src = tmp_path / "parallel"
    shutil.copytree(src, parallel_src, ignore=shutil.ignore_patterns("_build"))
    parallel = build(parallel_src, freshenv=True, parallel=2, confoverrides=_WITHOUT_ABLOG)
    assert parallel.warning.getvalue() == ""
    assert json.dumps(search_index(parallel.outdir)) == json.dumps(search_index(serial.outdir))
    assert len(search_index(serial.outdir)["pages"]) == 4


def _written_in_background(app) -> dict:
    """The index a background writer of *app*'s build wrote, once it is done (it holds the lock while
    it writes, and the index's ``index.json`` appears only then)."""
    import fcntl
    import time

    from zhiyuan import caches

    deadline = time.monotonic() + 60
    while not (app.outdir / "_search" / "index.json").exists():
        assert time.monotonic() < deadline, "the background writer wrote no index"
        time.sleep(0.05)
    with caches.path(app.doctreedir, "search_index.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
    return search_index(app.outdir)


def test_an_index_written_in_the_background_is_the_same(src, tmp_path):
    foreground = build(src, freshenv=True)
    background_src = tmp_path / "background"
    shutil.copytree(src, background_src, ignore=shutil.ignore_patterns("_build"))
    background = build(background_src, freshenv=True, confoverrides={"search_index_in_background": True})
    assert background.warning.getvalue() == ""
    assert _written_in_background(background) == search_index(foreground.outdir)
