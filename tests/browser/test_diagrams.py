"""Diagrams and plots made at build time (_ext/zhiyuan/pages/diagrams, pages/plots.py) in Chromium
under the site's Content-Security-Policy: the DPO article's Mermaid data flow, the
stochastic-approximation article's two plots and the writing guide's three examples load as images
(nothing refused, nothing requested off the site), and in dark mode each sits on a light card."""

from __future__ import annotations


import pytest
from browser import COLLECT_VIOLATIONS, host_of, serve
from zhiyuan.theme.strict_csp import POLICY

pytestmark = [pytest.mark.browser, pytest.mark.site]

@pytest.fixture(scope="module")
def base_url(site):
    with serve(site, headers={"Content-Security-Policy": POLICY}) as url:
        yield url


@pytest.mark.parametrize(("path", "count"), [
    ("posts/2025/dpo.html", 1),
    ("posts/2025/stochastic-approximation.html", 2),
    ("guide.html", 3),
])
def test_diagrams_and_plots_load_under_the_policy_and_sit_on_a_light_card_in_dark_mode(browser, base_url, path, count):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(host_of(request.url)))
    page.goto(base_url + path)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    images = page.locator("img.zy-diagram, img.zy-plot")
    assert images.count() == count
    for index in range(count):
        image = images.nth(index)
        # lazy: loaded when near the viewport.  Scrolled to again until it has loaded, as a reader
        # scrolls to it: the sections above it are drawn as they come near (content-visibility),
        # each taking its real height, which can move the image away from a single scroll's target
        page.wait_for_function(
            "img => { img.scrollIntoView({block: 'center'}); return img.complete && img.naturalWidth > 0; }",
            arg=image.element_handle(), polling=250,
        )
        background = image.evaluate("img => getComputedStyle(img).backgroundColor")
        channels = [int(c) for c in background[background.index("(") + 1:-1].split(",")[:3]]
        assert min(channels) > 200, (path, background)
    assert page.evaluate("window.__cspViolations") == []
    assert hosts <= {"127.0.0.1"}, hosts
    context.close()
