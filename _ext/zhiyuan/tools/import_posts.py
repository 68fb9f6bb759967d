"""Import another engine's blog: ``nox -s import -- SOURCE --from jekyll|hexo|hugo [--dry-run]``.

Finds the posts of the Jekyll, Hexo or Hugo site in SOURCE and writes each as
``posts/<year>/<slug>.md`` with the site's front matter, its images next to it and its old
address kept working (a redirect); prints, per post, what changed and what needs a person.
Never overwrites a file; ``--dry-run`` writes nothing.  The parts are in
:mod:`zhiyuan.tools.importer`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # _ext/, for the zhiyuan package
from zhiyuan.tools.importer.engines import ENGINES, SourceError  # noqa: E402
from zhiyuan.tools.importer.run import import_blog, report  # noqa: E402


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise argparse.ArgumentTypeError(f"--map-category {pair!r}: write it as OLD=NEW, e.g. 机器学习='Machine Learning'")
        mapping[old.strip()] = new.strip()
    return mapping


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s import --", description="Import the posts of a Jekyll, Hexo or Hugo blog.")
    parser.add_argument("source", type=Path, help="the blog's folder (where _config.yml, hugo.toml or config.toml is)")
    parser.add_argument("--from", dest="engine", required=True, choices=ENGINES, help="the engine that built it")
    parser.add_argument("--dry-run", action="store_true", help="report what would be done; write nothing")
    parser.add_argument("--map-category", action="append", default=[], metavar="OLD=NEW",
                        help="the site's category for one of the blog's (repeat it for each)")
    args = parser.parse_args(argv)
    try:
        category_map = _mapping(args.map_category)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    root = Path(__file__).resolve().parents[3]  # _ext/zhiyuan/tools/ -> the repository
    try:
        result = import_blog(root, args.source.resolve(), args.engine, dry_run=args.dry_run, category_map=category_map)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report(result), end="")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
