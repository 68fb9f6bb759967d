"""The 404 page in Chromium, served like Read the Docs: under the site's URL prefix, for a
missing page at any depth, with its styles, scripts and links working."""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import QuietHandler, serve
from helpers import soup

pytestmark = pytest.mark.site


def _base(site: Path) -> str:
    canonical = soup(site / "index.html").select_one('link[rel="canonical"]')["href"]
    assert canonical.endswith("index.html")
    return canonical[: -len("index.html")]


class _RTDHandler(QuietHandler):
    """Serves the site under the URL prefix and 404.html for anything missing, like Read the Docs."""

    prefix = "/"

    def send_head(self):
        if not self.path.startswith(self.prefix):
            return self._not_found()
        self.path = "/" + self.path[len(self.prefix):]
        local = Path(self.translate_path(self.path))
        if not local.exists():
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def _serve_like_rtd(site: Path, prefix: str):
    with serve(site, handler=type("Handler", (_RTDHandler,), {"prefix": prefix})) as url:
        yield url.rstrip("/")


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["nope.html", "posts/2025/nope.html", "a/b/c/d/nope.html"])
def test_404_page_works_at_any_depth(site, browser, missing):
    prefix = urlsplit(_base(site)).path
    with _serve_like_rtd(site, prefix) as origin:
        page = browser.new_page()
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and not r.url.endswith(missing) else None)
        page.on("requestfailed", lambda r: failed.append(r.url))
        response = page.goto(f"{origin}{prefix}{missing}")
        page.wait_for_load_state("networkidle")
        assert response.status == 404
        assert page.locator("article h1").inner_text().startswith("页面未找到")
        assert failed == []
        # the joined style sheet applied (all the theme's rules): the article is laid out, not a bare page
        rules = page.evaluate(
            "[...document.styleSheets].filter(s => (s.href || '').includes('/_static/zhiyuan.css'))"
            ".map(s => s.cssRules.length)")
        assert len(rules) == 1 and rules[0] > 100, rules
        page.get_by_role("link", name="返回首页").click()
        page.wait_for_load_state()
        assert page.url == f"{origin}{prefix}index.html"
        assert page.locator("section.latest-updates").count() == 1
        page.close()


