"""`nox -s new` scaffolds a post that the site accepts, and never overwrites one."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

from zhiyuan.posts.frontmatter import read_front_matter, scan_post
from zhiyuan.posts.schema import SiteRules

from helpers import REPO, build, soup

SCRIPT = "_ext/zhiyuan/tools/new_post.py"


def _repo_with_the_script(tmp_path, conf: str | None = None):
    """A repository holding only our package (the scaffold and the front-matter rules it shares
    with the build) and the site's configuration (or *conf*)."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    if conf is None:
        shutil.copy(REPO / "docs" / "conf.py", root / "docs" / "conf.py")
    else:
        (root / "docs" / "conf.py").write_text(conf, encoding="utf-8")
    return root


def _run(root, *args):
    return subprocess.run([sys.executable, str(root / SCRIPT), *args], capture_output=True, text=True, cwd=root)


def _created(result) -> tuple[str, list[str]]:
    """The path the scaffold printed (its first line) and the lines after it."""
    assert result.returncode == 0, result.stderr
    path, *notes = result.stdout.splitlines()
    return path, notes


def test_creates_a_post_with_front_matter_label_and_title(tmp_path):
    root = _repo_with_the_script(tmp_path)
    result = _run(root, "FlashAttention 3 详解", "--category", "Large Model", "--tags", "Attention, llm")
    relative, notes = _created(result)
    year = relative.split("/")[1]
    assert relative == f"posts/{year}/flashattention-3-xiang-jie.md"
    assert notes == ["slug: flashattention-3-xiang-jie (from the title; --slug chooses another)"]
    text = (root / relative).read_text(encoding="utf-8")
    assert text.startswith(f"---\ndate: {year}-")
    date = dt.date.fromisoformat(text.split("\n")[1].split(": ")[1])
    assert abs((date - dt.date.today()).days) <= 1
    assert ("category: Large Model\ntags: attention, llm\n---\n\n"
            "(flashattention-3-xiang-jie)=\n# FlashAttention 3 详解\n") in text


def test_a_chinese_title_gets_a_pinyin_slug(tmp_path):
    root = _repo_with_the_script(tmp_path)
    relative, notes = _created(_run(root, "梯度检查点详解", "--category", "Large Model", "--tags", "training"))
    assert relative.endswith("/ti-du-jian-cha-dian-xiang-jie.md")
    assert notes == ["slug: ti-du-jian-cha-dian-xiang-jie (from the title; --slug chooses another)"]
    assert "(ti-du-jian-cha-dian-xiang-jie)=\n# 梯度检查点详解\n" in (root / relative).read_text(encoding="utf-8")


def test_a_mixed_title_keeps_its_latin_words_and_digits(tmp_path):
    """Words read as a phrase (重要 is zhong, not chong), ü as v, full-width and accented letters
    made plain, punctuation dropped."""
    root = _repo_with_the_script(tmp_path)
    relative, _ = _created(_run(root, "PPO与GRPO：重要的 ＫＬ 项，Café 女 3.5 版", "--category", "Reinforcement Learning",
                                "--tags", "rl"))
    assert relative.endswith("/ppo-yu-grpo-zhong-yao-de-kl-xiang-cafe-nv-3-5-ban.md")


def test_slug_option_overrides_the_title(tmp_path):
    root = _repo_with_the_script(tmp_path)
    relative, notes = _created(_run(root, "强化学习入门", "--category", "Reinforcement Learning", "--tags", "rl",
                                    "--slug", "rl-intro"))
    assert relative.endswith("/rl-intro.md") and notes == ["slug: rl-intro"]
    bad = _run(root, "标题", "--category", "Python", "--tags", "x", "--slug", "Not_Kebab")
    assert bad.returncode == 1 and "kebab-case" in bad.stderr
    nothing = _run(root, "！？……", "--category", "Python", "--tags", "x")
    assert nothing.returncode == 1 and "--slug" in nothing.stderr
    assert sorted(p.name for p in (root / "posts").rglob("*.md")) == ["rl-intro.md"]


def test_draft_has_no_date_so_the_build_leaves_it_out(tmp_path):
    root = _repo_with_the_script(tmp_path)
    relative, notes = _created(_run(root, "梯度检查点详解", "--category", "Large Model", "--tags", "training", "--draft"))
    assert notes[-1] == "draft: no date, so the build leaves it out; add `date: YYYY-MM-DD` to publish it"
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert "\ndate:" not in text and text.startswith("---\n# 草稿：")
    assert read_front_matter(text) == {"category": "Large Model", "tags": "training"}
    status = scan_post(path, "posts/x/draft", dt.UTC)  # what the build's pre-scan decides
    assert status.date is None and not status.is_published(dt.date.today())


def test_series_goes_into_the_front_matter(tmp_path):
    root = _repo_with_the_script(tmp_path)
    relative, notes = _created(_run(root, "TRPO 的推导", "--category", "Reinforcement Learning", "--tags", "rl",
                                    "--series", "rl-foundations"))
    assert read_front_matter((root / relative).read_text(encoding="utf-8"))["series"] == "rl-foundations"
    assert notes == ["slug: trpo-de-tui-dao (from the title; --slug chooses another)"]  # the series has a title
    _, notes = _created(_run(root, "新系列第一篇", "--category", "Python", "--tags", "python", "--series", "new-one"))
    assert notes[-1] == ("series: 'new-one' has no title in post_extras_series_titles (docs/conf.py); "
                         "readers see the id until it has one")
    bad = _run(root, "第二篇", "--category", "Python", "--tags", "python", "--series", "Not Kebab")
    assert bad.returncode == 1 and "series 'Not Kebab' must be an id in lowercase kebab-case" in bad.stderr


def test_never_overwrites_a_post_in_any_year(tmp_path):
    root = _repo_with_the_script(tmp_path)
    old = root / "posts" / "2020" / "ti-du-jian-cha-dian-xiang-jie.md"
    old.parent.mkdir(parents=True)
    old.write_text("---\ndate: 2020-01-01\n---\n\n# 旧文\n", encoding="utf-8")
    again = _run(root, "梯度检查点详解", "--category", "Large Model", "--tags", "training", "--draft")
    assert again.returncode == 1
    assert "posts/2020/ti-du-jian-cha-dian-xiang-jie.md already exists; choose another --slug" in again.stderr
    assert old.read_text(encoding="utf-8") == "---\ndate: 2020-01-01\n---\n\n# 旧文\n"
    assert [p.relative_to(root).as_posix() for p in (root / "posts").rglob("*.md")] == [
        "posts/2020/ti-du-jian-cha-dian-xiang-jie.md"]


def test_the_categories_and_the_tag_limit_are_the_sites(tmp_path):
    """`nox -s new` takes the categories and the tag limit from docs/conf.py, as the build does."""
    root = _repo_with_the_script(tmp_path, 'post_frontmatter_categories = ["随笔"]\npost_frontmatter_max_tags = 2\n')
    refused = _run(root, "Note on Python", "--category", "Python", "--tags", "a")
    rules = SiteRules(categories=("随笔",), max_tags=2)
    assert refused.returncode == 1 and rules.category_problems(("Python",))[0] in refused.stderr
    assert "is not one of the site's categories (随笔)" in refused.stderr
    too_many = _run(root, "Note on Python", "--category", "随笔", "--tags", "a,b,c")
    assert too_many.returncode == 1 and rules.tags_problem(("a", "b", "c")) in too_many.stderr
    assert "3 tags; a post has at most 2" in too_many.stderr
    none = _run(root, "Note on Python", "--category", "随笔", "--tags", " , ")
    assert none.returncode == 1 and "at least one tag" in none.stderr
    ok = _run(root, "Note on Python", "--category", "随笔", "--tags", "a,b")
    assert ok.returncode == 0, ok.stderr


# The site's rules and the parts of our package that read posts: categories, tags, drafts, series.
_SITE_CONF = """\
extensions = ["myst_parser", "ablog", "zhiyuan.posts.frontmatter", "zhiyuan.theme.portal",
              "zhiyuan.pages.latest_updates", "zhiyuan.pages.post_extras"]
language = "zh_CN"
html_theme = "basic"
blog_post_pattern = ["posts/*/*.md"]
blog_baseurl = "https://example.org/"
blog_authors = {"editor": ("编辑部", None)}
blog_default_author = "editor"
fontawesome_included = True
post_date_format = "%Y-%m-%d"
post_frontmatter_categories = ["Large Model", "Reinforcement Learning"]
post_frontmatter_min_tags = 1
post_extras_series_titles = {"rl-foundations": "强化学习基础"}
"""


def test_scaffolded_posts_build_without_warnings(tmp_path):
    """A post made with each option builds as the site builds it; the draft is left out."""
    root = _repo_with_the_script(tmp_path, _SITE_CONF)
    (root / "docs" / "index.md").write_text("# 首页\n\n```{toctree}\n:hidden:\n:glob:\nposts/*/*\n```\n",
                                            encoding="utf-8")
    (root / "docs" / "posts").symlink_to(Path("..", "posts"), target_is_directory=True)  # as in the site
    made = [
        _created(_run(root, *args, "--category", "Large Model", "--tags", "llm, attention"))[0]
        for args in (["FlashAttention 3 详解"], ["梯度检查点详解"], ["强化学习入门", "--slug", "rl-intro"],
                     ["策略梯度", "--series", "rl-foundations"], ["TRPO 推导", "--series", "rl-foundations"],
                     ["未完成的草稿", "--draft"])
    ]
    app = build(root / "docs", buildername="html")
    assert app.warning.getvalue() == ""
    year = Path(made[0]).parts[1]
    built = {Path(path).stem: (app.outdir / "posts" / year / f"{Path(path).stem}.html").is_file() for path in made}
    assert built == {"flashattention-3-xiang-jie": True, "ti-du-jian-cha-dian-xiang-jie": True, "rl-intro": True,
                     "ce-lve-ti-du": True, "trpo-tui-dao": True, "wei-wan-cheng-de-cao-gao": False}
    series = soup(app.outdir / "series/rl-foundations.html")  # same date: in the order of their titles
    assert [a.get_text() for a in series.select("a.series-entry-title")] == ["TRPO 推导", "策略梯度"]
