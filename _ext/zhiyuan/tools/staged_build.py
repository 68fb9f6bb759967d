"""Build the site in a staging folder; publish it only if the build succeeded.

    python _ext/staged_build.py SOURCEDIR OUTDIR DOCTREEDIR [sphinx-build options ...]

``nox -s build`` runs this instead of ``sphinx-build`` so that a failed build
(a warning under ``-W``, an exception, Ctrl-C) never leaves a half-written or
empty site in OUTDIR.  The staging folder starts as a copy of the last
published HTML and doctrees, so Sphinx still rebuilds incrementally; the HTML
and the doctrees are published together, because each incremental build trusts
that the doctrees describe the HTML beside them.  After a failure OUTDIR and
DOCTREEDIR are untouched and the failed output stays in the staging folder for
inspection.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main


def staging_dir(outdir: Path) -> Path:
    """Where the build happens: a hidden sibling of OUTDIR (same file system, so renames are cheap)."""
    return outdir.with_name(f".{outdir.name}.staging")


def _publish(staged: Path, published: Path) -> None:
    previous = published.with_name(f".{published.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if published.exists():
        published.rename(previous)
    staged.rename(published)
    shutil.rmtree(previous, ignore_errors=True)


def staged_build(source: Path, outdir: Path, doctreedir: Path, options: list[str]) -> int:
    """Run ``sphinx-build`` in the staging folder; on success replace OUTDIR and DOCTREEDIR."""
    staging = staging_dir(outdir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    staged_html, staged_doctrees = staging / "html", staging / "doctrees"
    if outdir.is_dir() and doctreedir.is_dir():
        shutil.copytree(outdir, staged_html, symlinks=True)
        shutil.copytree(doctreedir, staged_doctrees, symlinks=True)
    try:
        status = build_main([*options, "-d", str(staged_doctrees), str(source), str(staged_html)])
    except KeyboardInterrupt:
        status = 2
    if status != 0:
        print(
            f"staged_build: the build failed (exit status {status}); {outdir} is unchanged, "
            f"the failed output is in {staged_html}",
            file=sys.stderr,
        )
        return status
    _publish(staged_doctrees, doctreedir)
    _publish(staged_html, outdir)
    shutil.rmtree(staging)
    print(f"staged_build: published {outdir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 3 or any(arg.startswith("-") for arg in argv[:3]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source, outdir, doctreedir = (Path(arg) for arg in argv[:3])
    return staged_build(source, outdir, doctreedir, argv[3:])


if __name__ == "__main__":
    sys.exit(main())
