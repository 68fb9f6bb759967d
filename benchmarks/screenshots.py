"""Screenshots of a built site as a reader sees it, for before/after comparisons in PERFORMANCE.md.

    python benchmarks/screenshots.py --site _build/html --label after [--out benchmarks/screenshots]

Serves *site* on 127.0.0.1 and, in the system Chromium (Playwright), takes four pictures: the
math-heaviest post at 1366 × 768 (top, and its end with the previous/next links and the
footer), and on a phone (412 × 823, dark mode) the code-heaviest post at its first code block
and the same math post with its page TOC opened from the article bar.  Files are named
``<view>-<label>.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "benchmarks")]

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch, serve  # noqa: E402
from lighthouse import pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "_build/html")
    parser.add_argument("--label", required=True, help="suffix of the file names, e.g. before / after")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = pages(args.site)
    math_post, code_post = chosen["math post"], chosen["code post"]
    with serve(args.site) as base, sync_playwright() as playwright:
        browser = launch(playwright)

        def page(width: int, height: int, *, phone: bool = False):
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                                          has_touch=phone, color_scheme="dark" if phone else "light")
            return context.new_page()

        def shot(view, name: str) -> None:
            view.wait_for_timeout(500)  # fonts and the theme's scripts settle
            view.screenshot(path=args.out / f"{name}-{args.label}.png")

        wide = page(1366, 768)
        wide.goto(base + math_post)
        shot(wide, "wide-post")
        wide.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        shot(wide, "wide-post-end")
        phone = page(412, 823, phone=True)
        phone.goto(base + code_post)
        phone.locator("div.highlight").first.scroll_into_view_if_needed()
        shot(phone, "phone-dark-code")
        phone.goto(base + math_post)
        phone.locator(".secondary-toggle:visible").first.click()
        shot(phone, "phone-dark-toc")
        browser.close()
    print(f"screenshots: {args.out}")


if __name__ == "__main__":
    main()
