"""The built site's pages hold nothing a strict Content-Security-Policy blocks: no inline script,
event handler, javascript: URL or <style> element; the policy is the documented one.
(Chromium under the policy: tests/browser/test_csp.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhiyuan.theme.strict_csp import POLICY

from helpers import REPO, page_scripts, soup

pytestmark = [pytest.mark.site]

# What the site needs, exactly; README.md quotes it (see test_readme_documents_the_policy).
EXPECTED_POLICY = (
    "default-src 'self'; style-src-attr 'unsafe-inline'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


def test_the_policy_is_the_documented_one():
    assert POLICY == EXPECTED_POLICY


def test_readme_documents_the_policy():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {POLICY}" in readme


def test_no_page_has_inline_script_or_style(site):
    pages = _pages(site)
    assert len(pages) > 50
    for path in pages:
        page = soup(path)
        name = path.relative_to(site).as_posix()
        for script in page.find_all("script"):
            if script.get("type") == "application/ld+json":
                # a data block (a post's JSON-LD): never run, so script-src does not apply
                # (tests/browser/test_csp.py); it must be JSON and nothing else
                json.loads(script.string)
                continue
            assert script.get("src"), f"{name}: inline script {script.string!r:.80}"
        assert not page.find_all("style"), f"{name}: <style> element"
        for element in page.find_all(True):
            handlers = [attr for attr in element.attrs if attr.lower().startswith("on")]
            assert not handlers, f"{name}: {element.name} has {handlers}"
            for attr in ("href", "src", "action"):
                assert not str(element.get(attr, "")).strip().lower().startswith("javascript:"), name


def test_page_options_are_in_a_data_attribute(site):
    (script,) = [tag for name, tag in page_scripts(site, site / "posts" / "2025" / "dpo.html")
                 if name == "_static/strict_csp/page.js"]
    assert json.loads(script["data-options"]) == {"pagename": "posts/2025/dpo", "search_as_you_type": False}
