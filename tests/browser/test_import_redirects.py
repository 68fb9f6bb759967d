"""Old links keep working: in Chromium, the old address of an imported post (Jekyll, Hexo and Hugo
permalinks, Hugo aliases, Chinese paths, a folder without its slash) lands on the post's new page,
under the site's Content-Security-Policy, with nothing blocked."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from zhiyuan.theme.strict_csp import POLICY

from browser import COLLECT_VIOLATIONS, serve
from helpers import build
from imported import empty_site, import_fixtures

pytestmark = [pytest.mark.browser]

#: old address -> (new page, its title)
OLD = {
    "/python/2020/11/12/python-closures.html": ("posts/2020/python-closures.html", "Python 闭包与作用域"),  # Jekyll
    "/机器学习/2021/03/04/gradient-descent.html": ("posts/2021/gradient-descent.html", "梯度下降的三种变体"),
    "/notes/softmax": ("posts/2021/softmax-numerics.html", "Softmax 的数值稳定性"),  # permalink:, no slash
    "/2019/05/20/线性回归/": ("posts/2019/xian-xing-hui-gui-de-bi-shi-jie.html", "线性回归的闭式解"),  # Hexo
    "/gil/": ("posts/2021/python-gil.html", "Python 的 GIL 到底锁住了什么"),
    "/posts/spec-decoding/": ("posts/2023/speculative-decoding.html", "推测解码"),  # Hugo slug:
    "/2023/rope/": ("posts/2023/rope.html", "旋转位置编码 RoPE"),  # Hugo aliases:
    "/posts/混合精度/": ("posts/2023/hun-he-jing-du-xun-lian-de-sun-shi-suo-fang.html", "混合精度训练的损失缩放"),
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = empty_site(tmp_path_factory.mktemp("redirects"))
    for engine, result in import_fixtures(root).items():
        assert result.returncode == 0, (engine, result.stdout, result.stderr)
    app = build(root / "docs")
    assert app.warning.getvalue() == ""
    with serve(app.outdir, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.mark.parametrize("old", sorted(OLD))
def test_the_old_address_lands_on_the_new_page(browser, base_url, old):
    new, title = OLD[old]
    context = browser.new_context()
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    try:
        page.goto(base_url + quote(old.lstrip("/")))
        page.wait_for_url(base_url + quote(new), timeout=10_000)
        page.wait_for_load_state("load")
        assert page.locator("article h1").first.inner_text().rstrip("#").strip() == title
        assert page.evaluate("window.__cspViolations") == []
        assert not [text for text in console if "Refused to" in text or "Content Security Policy" in text]
    finally:
        context.close()
