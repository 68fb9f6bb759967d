"""Headless Chromium for the browser tests, and a local server for the built site."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
# As root in a closed network: no sandbox, and none of Chromium's own background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


#: An init script that records each Content-Security-Policy violation of a page in
#: ``window.__cspViolations`` ("directive blocked-URI"), for tests to read.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


#: An init script noting whether the page holds scripts until its first paint
#: (zhiyuan.theme.page_assets, type AFTER_PAINT), before strict_csp's head.js puts them back.
#: (The literal: the benchmarks import this module without the extension on their path.)
NOTE_HELD_SCRIPTS = """
document.addEventListener("DOMContentLoaded", () => {
  window.__heldScripts = window.__heldScripts
    || Array.prototype.some.call(document.scripts, (script) => script.type === "text/x-after-paint");
});
"""


def scripts_ran(page) -> None:
    """Wait until the scripts the page held until its first paint have run: head.js marks the
    moment ("held-scripts-ran"); a page that held none waits for its load event only."""
    page.wait_for_function(
        """() => performance.getEntriesByName("held-scripts-ran").length > 0
            || (document.readyState === "complete" && window.__heldScripts === false)"""
    )


def goto_waits_for_scripts(page) -> None:
    """Make *page*'s ``goto`` return once the page's scripts have run (:func:`scripts_ran`), as a
    reader's first click or key comes after them."""
    page.add_init_script(NOTE_HELD_SCRIPTS)
    navigate = page.goto

    def goto(url: str, **options):
        response = navigate(url, **options)
        scripts_ran(page)
        return response

    page.goto = goto


#: Where a page of the site may fetch from: the local server, and what the page makes itself.
LOCAL_HOSTS = {"127.0.0.1", "data", "blob"}


def host_of(url: str) -> str:
    """The host a request for *url* goes to (``data``, ``blob`` for what a page makes itself)."""
    parts = urlparse(url)
    return parts.hostname or parts.scheme


@contextmanager
def watched_page(browser, **context_options):
    """A page in a new browser context (*context_options*: viewport, color_scheme …) that records
    Content-Security-Policy violations, console errors and the hosts it requests from; leaving the
    block asserts there were no violations or errors and no host but :data:`LOCAL_HOSTS`.
    Its ``goto`` returns once the page's scripts have run (:func:`goto_waits_for_scripts`)."""
    context = browser.new_context(**context_options)
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    goto_waits_for_scripts(page)
    page.errors, page.hosts = [], set()
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: page.hosts.add(host_of(request.url)))
    try:
        yield page
        assert page.evaluate("window.__cspViolations") == []
        assert page.errors == []
        assert page.hosts <= LOCAL_HOSTS, page.hosts
    finally:
        context.close()


def launch(playwright):
    """System Chromium when present (always in CI); otherwise Playwright's own browser."""
    if SYSTEM_CHROMIUM.exists():
        return playwright.chromium.launch(executable_path=str(SYSTEM_CHROMIUM), args=CHROMIUM_ARGS)
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run installs the Debian package")
    return playwright.chromium.launch(args=CHROMIUM_ARGS)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no request log, *extra_headers* on every response."""

    extra_headers: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


@contextmanager
def serve(directory: Path, headers: dict[str, str] | None = None, handler: type[QuietHandler] = QuietHandler):
    """Serve *directory* on 127.0.0.1 (a free port) with *handler*, its headers and *headers*;
    yield the base URL."""
    handler = type("Handler", (handler,), {"extra_headers": {**handler.extra_headers, **(headers or {})}})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
