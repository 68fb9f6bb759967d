"""A ``robots.txt`` that points crawlers at the sitemap.

sphinx-sitemap writes ``sitemap.xml`` with absolute URLs; crawlers find it
through the ``Sitemap:`` line of ``robots.txt``, which must be absolute too, so
the file is written at the end of each HTML build from ``html_baseurl`` (the
Read the Docs canonical URL there, the production address elsewhere).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"

logger = logging.getLogger(__name__)


def render_robots_txt(base_url: str, sitemap: str, disallow: list[str]) -> str:
    """Text of ``robots.txt`` for a site at *base_url* with *sitemap* beside its pages."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Allow: /"]
    lines += ["", f"Sitemap: {urljoin(base, sitemap)}"]
    return "\n".join(lines) + "\n"


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write robots.txt beside sitemap.xml."""
    if exception is not None or app.builder.format != "html":
        return
    base = getattr(app.config, "site_url", None) or app.config.html_baseurl
    if not base:
        logger.warning(
            "robots.txt needs an absolute sitemap URL: set html_baseurl; robots.txt not written",
            type="robots_txt",
            subtype="config",
        )
        return
    text = render_robots_txt(base, app.config.sitemap_filename, app.config.robots_txt_disallow)
    (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_sitemap")
    app.add_config_value("robots_txt_disallow", [], "html", types=[list])
    app.connect("build-finished", _on_build_finished)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
