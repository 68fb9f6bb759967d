"""Diagrams and plots made at build time, on the built site: the DPO article's Mermaid data
flow and the stochastic-approximation article's plot are numbered SVG figures with Chinese alt
text and a {numref} from the text; no page loads Mermaid or plotting JavaScript or uses
<object>; the Mermaid and plot SVGs committed in docs/_diagrams/ are exactly those the site shows."""

from __future__ import annotations

import subprocess

from helpers import REPO, soup

_BROWSER_DRAWING = ("mermaid", "plotly", "bokeh", "vega", "chart.js", "echarts", "d3.")


def _figure(site, page, figure_id):
    html = soup(site / page)
    figure = html.select_one(f"figure#{figure_id}")
    assert figure is not None, (page, figure_id)
    ref = html.select_one(f'a.reference.internal[href="#{figure_id}"] span.std-numref')
    assert ref is not None and ref.get_text() == figure.select_one(".caption-number").get_text(strip=True)
    img = figure.select_one("img")
    assert len(img["alt"]) > 40 and all(img.get(a) for a in ("width", "height", "loading"))
    assert (site / page).parent.joinpath(img["src"]).resolve().is_file()
    return img


def test_the_dpo_article_has_its_mermaid_data_flow(site):
    img = _figure(site, "posts/2025/dpo.html", "fig-rlhf-dpo-flow")
    assert "zy-diagram-mermaid" in img["class"] and img["src"].endswith(".svg")


def test_the_stochastic_approximation_article_plots_its_own_experiment(site):
    img = _figure(site, "posts/2025/stochastic-approximation.html", "fig-rm-step-sizes")
    assert "zy-plot" in img["class"] and img["src"].endswith(".svg")
    svg = (site / "posts/2025").joinpath(img["src"]).resolve().read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "<!-- 均方根误差 -->" in svg


def test_no_page_draws_in_the_browser(site):
    for page in site.rglob("*.html"):
        html = soup(page)
        scripts = " ".join(s.get("src", "") for s in html.select("script")).lower()
        assert not [name for name in _BROWSER_DRAWING if name in scripts], page
        assert not html.select("object, div.mermaid, pre.mermaid"), page


def test_the_committed_mermaid_and_plot_svgs_are_those_the_site_shows(site):
    """A new or changed diagram or plot is drawn by the build into docs/_diagrams/: commit it there."""
    committed = subprocess.run(["git", "ls-files", "docs/_diagrams"], cwd=REPO, capture_output=True, text=True,
                               check=True).stdout.split()
    shown = sorted(path.name for kind in ("mermaid", "plot") for path in (site / "_images").glob(f"{kind}-*.svg"))
    assert any(name.startswith("plot-") for name in shown)
    assert sorted(path.rsplit("/", 1)[-1] for path in committed) == shown, "commit docs/_diagrams/ as the build left it"
    for name in shown:
        assert (site / "_images" / name).read_bytes() == (REPO / "docs/_diagrams" / name).read_bytes(), name
