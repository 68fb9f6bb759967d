"""What a page requests before its first paints, and which elements of its first layout use each font.

    python benchmarks/first_paint_fonts.py --site _build/html [--runs 3] [--page "math post" ...]
    python benchmarks/first_paint_fonts.py --reports benchmarks/results/lighthouse

With ``--site`` it serves a built site as ``benchmarks/lighthouse.py`` does (gzip, the site's
Content-Security-Policy) and loads each of that script's pages in Chromium (Playwright, the
system Chromium) as Lighthouse's mobile preset sees them: a 412 × 823 viewport at device scale
1.75, touch, and no throttling (Lighthouse's simulated throttling loads the page at full speed
and estimates the phone's timings from that trace).  For each run it prints every request
started before first-contentful-paint and before largest-contentful-paint, with its priority
as Chromium gave it (DevTools protocol, ``Network.requestWillBeSent``) and when it ended (and how many of them
have a priority Lighthouse's simulator counts as render-blocking: ``VeryHigh``, or ``High`` for a
script); then,
for each font the page asked for, the elements whose first font family it is: those laid out
once the page has loaded (where, what they say) and those in blocks ``content-visibility: auto``
still skips, which ask for nothing until the reader comes near them; and the faces of the sheet
the page uses but did not ask for.

With ``--reports`` it reads Lighthouse's JSON reports instead and prints, for each, the requests
its simulator (Lantern) puts in the graphs of FCP and LCP: those that ended before the paint
Lighthouse observed, for FCP only those of a render-blocking priority (``VeryHigh``, or ``High``
for a script) — fonts the layout requests get ``VeryHigh``, preloaded fonts ``High``.

A measurement: it never fails on a figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO / "tests"), str(REPO / "_ext")]

from browser import CHROMIUM_ARGS, SYSTEM_CHROMIUM, serve  # noqa: E402
from lighthouse import GzipHandler, pages  # noqa: E402
from zhiyuan.theme.strict_csp import POLICY  # noqa: E402

#: Lighthouse's mobile preset (``screenEmulation`` of its ``constants.js``).
VIEWPORT = {"width": 412, "height": 823}
SCALE = 1.75

# After load: the paint timings, and for each element with text of its own that the browser
# has laid out (not in a subtree content-visibility skips), the face its first font family
# names, where it is and what it says.
_LAYOUT = r"""
async () => {
  await document.fonts.ready;
  const lcp = await new Promise((resolve) => {
    new PerformanceObserver((list) => resolve(list.getEntries())).observe({type: "largest-contentful-paint", buffered: true});
    setTimeout(() => resolve([]), 2000);
  });
  const describe = (element) => {
    if (!element) return "";
    const classes = [...element.classList].slice(0, 3).map((name) => "." + name).join("");
    return element.localName + classes;
  };
  const paints = Object.fromEntries(performance.getEntriesByType("paint").map((entry) => [entry.name, entry.startTime]));
  const last = lcp[lcp.length - 1];
  const pseudo = (element) => {
    const style = getComputedStyle(element, "::before");
    return style.content !== "none" && style.content !== "normal" ? style : null;
  };
  const uses = [];
  for (const element of document.body.querySelectorAll("*")) {
    const own = [...element.childNodes].filter((node) => node.nodeType === 3).map((node) => node.data).join("").trim();
    const before = own ? null : pseudo(element);  // an icon drawn by a ::before rule
    if (!own && !before) continue;
    const laidOut = element.checkVisibility({contentVisibilityAuto: true});
    const style = before || getComputedStyle(element);
    const family = style.fontFamily.split(",")[0].trim().replace(/^["']|["']$/g, "");
    const weight = Number(style.fontWeight) >= 600 ? 700 : 400;
    // reading where a skipped element is would lay it out
    const top = laidOut ? Math.round(element.getBoundingClientRect().top + window.scrollY) : null;
    uses.push({face: `${family} ${weight} ${style.fontStyle}`, element: describe(element), text: own ? own.slice(0, 12) : "::before", top, laidOut});
  }
  return {
    resources: performance.getEntriesByType("resource").map((entry) => [entry.name, entry.startTime]),
    fcp: paints["first-contentful-paint"],
    lcp: last ? last.startTime : null,
    lcpElement: last ? describe(last.element) : "",
    // each @font-face rule's file (its name up to the first dot) and the face it declares
    files: Object.fromEntries([...document.styleSheets].flatMap((sheet) => [...sheet.cssRules])
      .filter((rule) => rule instanceof CSSFontFaceRule)
      .map((rule) => {
        const file = (rule.style.getPropertyValue("src").match(/url\("?([^")]*)/) || ["", ""])[1].split("/").pop().split(".")[0];
        const family = rule.style.getPropertyValue("font-family").replace(/^["']|["']$/g, "").replace(/\\/g, "");
        const weight = Number(rule.style.getPropertyValue("font-weight") || 400) >= 600 ? 700 : 400;
        return [file, `${family} ${weight} ${rule.style.getPropertyValue("font-style") || "normal"}`];
      })),
    uses,
    height: document.documentElement.scrollHeight,
  };
}
"""


def _load(browser, url: str) -> dict:
    """One load of *url* on a fresh phone-sized context: its requests and what the page says."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=SCALE, is_mobile=True, has_touch=True)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    requests: dict[str, dict] = {}

    def sent(event: dict) -> None:
        requests.setdefault(event["requestId"], {
            "url": event["request"]["url"], "start": event["timestamp"],
            "priority": event["request"].get("initialPriority", ""), "type": event.get("type", ""),
            "initiator": event.get("initiator", {}).get("type", ""), "end": None,
        })

    def finished(event: dict) -> None:
        if event["requestId"] in requests:
            requests[event["requestId"]]["end"] = event["timestamp"]

    def reprioritised(event: dict) -> None:
        if event["requestId"] in requests:
            requests[event["requestId"]]["priority"] += f"→{event['newPriority']}"

    session.on("Network.requestWillBeSent", sent)
    session.on("Network.loadingFinished", finished)
    session.on("Network.resourceChangedPriority", reprioritised)
    page.goto(url, wait_until="load")
    seen = page.evaluate(_LAYOUT)
    context.close()
    # request times are monotonic seconds since some moment; the page's, milliseconds since
    # its time origin: the clocks are matched on the resources both saw start
    first = min(request["start"] for request in requests.values())
    starts = {request["url"]: (request["start"] - first) * 1000 for request in requests.values()}
    offset = statistics.median([start - starts[name] for name, start in seen["resources"] if name in starts] or [0])
    for request in requests.values():
        request["start"] = (request["start"] - first) * 1000 + offset
        if request["end"] is not None:
            request["end"] = (request["end"] - first) * 1000 + offset
    seen["requests"] = sorted(requests.values(), key=lambda request: request["start"])
    return seen


def _short(url: str, base: str) -> str:
    return url.removeprefix(base)


def _request_line(request: dict, base: str) -> str:
    end = f"{request['end']:6.0f}" if request["end"] is not None else "     —"
    return (f"    {request['start']:6.0f} → {end} ms  {request['priority']:<14} {request['type']:<10} "
            f"{request['initiator']:<8} {_short(request['url'], base)}")


def _font_file(url: str) -> str:
    """``KaTeX_Main-Regular`` for ``…/_static/fonts/KaTeX_Main-Regular.<digest>.woff2``."""
    return url.rsplit("/", 1)[-1].split(".")[0]


def measure(site: Path, names: list[str], runs: int) -> None:
    """Print, for each page and run, the requests before its paints and its first layout's fonts."""
    from playwright.sync_api import sync_playwright

    chosen = {name: path for name, path in pages(site).items() if not names or name in names}
    launch = {"executable_path": str(SYSTEM_CHROMIUM)} if SYSTEM_CHROMIUM.exists() else {}
    summary = {}
    with serve(site, headers={"Content-Security-Policy": POLICY}, handler=GzipHandler) as base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(args=CHROMIUM_ARGS, **launch)
        for name, path in chosen.items():
            counts = []
            for run in range(runs):
                seen = _load(browser, base + path)
                fcp, lcp = seen["fcp"], seen["lcp"] or seen["fcp"]
                before_fcp = [request for request in seen["requests"] if request["start"] < fcp]
                before_lcp = [request for request in seen["requests"] if fcp <= request["start"] < lcp]
                blocking = [request for request in before_fcp if _render_blocking(
                    {"priority": request["priority"].split("→")[-1], "resourceType": request["type"]})]
                counts.append((len(before_fcp), len(blocking), len(before_fcp) + len(before_lcp)))
                print(f"{name} (`{path}`), run {run + 1}: FCP {fcp:.0f} ms, LCP {lcp:.0f} ms ({seen['lcpElement']}), "
                      f"page {seen['height']} px tall")
                print(f"  started before FCP ({len(before_fcp)}): start → end, priority, type, initiator")
                for request in before_fcp:
                    print(_request_line(request, base))
                print(f"  started between FCP and LCP ({len(before_lcp)})")
                for request in before_lcp:
                    print(_request_line(request, base))
            # the fonts: requested when, with what priority, and who uses them in the first layout
            fonts = [request for request in seen["requests"] if request["type"] == "Font"]
            uses: dict[str, list[dict]] = {}
            for use in seen["uses"]:
                uses.setdefault(use["face"], []).append(use)
            print(f"  fonts requested (last run): {len(fonts)}")
            for request in fonts:
                file = _font_file(request["url"])
                users = uses.get(seen["files"].get(file, file), [])
                laid = [use for use in users if use["laidOut"]]
                where = (f"{len(laid)} elements laid out, at y {laid[0]['top']}…{laid[-1]['top']} px, first "
                         + ", ".join(f"{use['element']} “{use['text']}” (y {use['top']})" for use in laid[:3])
                         if laid else "no element laid out names it first")
                where += f"; {len(users) - len(laid)} in skipped content"
                print(f"    {file:<28} {request['priority']:<14} {request['initiator']:<8} started "
                      f"{request['start']:5.0f} ms: {where}")
            requested = {seen["files"].get(_font_file(request["url"])) for request in fonts}
            for face, users in sorted(uses.items()):
                if face in seen["files"].values() and face not in requested:
                    print(f"    not requested: {face}, {len(users)} elements, "
                          f"{sum(use['laidOut'] for use in users)} of them laid out")
            summary[name] = counts
    print()
    print("| page | requests started before FCP (each run) | of them of a render-blocking priority "
          "| started before LCP |")
    print("|---|---|---|---|")
    for name, counts in summary.items():
        print(" | ".join([f"| {name}", *(", ".join(str(run[column]) for run in counts) for column in range(3))]) + " |")


def _render_blocking(item: dict) -> bool:
    """Lantern's ``hasRenderBlockingPriority``."""
    priority, kind = item.get("priority"), item.get("resourceType")
    return priority == "VeryHigh" or (priority == "High" and kind in ("Script", "Document"))


def lantern(reports: Path) -> None:
    """Print, for each Lighthouse report in *reports*, the requests Lantern's FCP and LCP graphs hold."""
    for path in sorted(reports.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        if "audits" not in report:
            continue
        audits = report["audits"]
        observed = audits["metrics"]["details"]["items"][0]
        network = audits["network-requests"]["details"]
        start = network["debugData"]["networkStartTimeTs"]
        fcp = (observed["observedFirstContentfulPaintTs"] - start) / 1000
        lcp = (observed["observedLargestContentfulPaintTs"] - start) / 1000
        items = network["items"]
        for_fcp = [item for item in items if (item.get("networkEndTime") or 1e9) <= fcp and _render_blocking(item)]
        for_lcp = [item for item in items if (item.get("networkEndTime") or 1e9) <= lcp
                   and not (item.get("resourceType") == "Image" and item.get("priority") in ("Low", "VeryLow"))]
        started = [item for item in items if (item.get("networkRequestTime") or 1e9) < fcp]
        print(f"{path.stem}: observed FCP {fcp:.0f} ms, LCP {lcp:.0f} ms; simulated FCP "
              f"{audits['first-contentful-paint']['numericValue'] / 1000:.2f} s, LCP "
              f"{audits['largest-contentful-paint']['numericValue'] / 1000:.2f} s; "
              f"{len(started)} requests started before the observed FCP")
        base = "/".join(report.get("finalDisplayedUrl", "").split("/")[:3]) + "/"
        for title, chosen in (("in the FCP graph", for_fcp), ("in the LCP graph", for_lcp)):
            print(f"  {title} ({len(chosen)}):")
            for item in chosen:
                print(f"    {item.get('networkRequestTime', 0):6.0f} → {item.get('networkEndTime', 0):6.0f} ms  "
                      f"{item.get('priority', ''):<8} {item.get('resourceType', ''):<10} "
                      f"{item.get('transferSize', 0) / 1024:5.1f} KiB  {item['url'].removeprefix(base)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--site", type=Path, help="a built HTML site, loaded in Chromium")
    what.add_argument("--reports", type=Path, help="a folder of Lighthouse's JSON reports (lighthouse.py --out)")
    parser.add_argument("--runs", type=int, default=3, help="loads per page")
    parser.add_argument("--page", action="append", default=[], help="only this page of lighthouse.py (repeatable)")
    args = parser.parse_args()
    if args.reports:
        lantern(args.reports)
    else:
        measure(args.site, args.page, args.runs)


if __name__ == "__main__":
    main()
