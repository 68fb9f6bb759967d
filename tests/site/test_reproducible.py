"""Reproducible builds: the same sources give the same bytes, serial or parallel.

The session's site build, a second clean build and a ``-j 2`` build, all dated
by the same ``SOURCE_DATE_EPOCH``, must produce identical trees.  Nothing is
excluded: feeds are dated by their newest entry, equation ids by position.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import build_site


def _manifest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under *root*, by relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


@pytest.mark.parametrize("options", [(), ("-j", "2")], ids=["serial", "parallel"])
def test_clean_builds_are_byte_identical(site, tmp_path, options):
    reference = _manifest(site)
    again = _manifest(build_site(tmp_path, *options))
    assert len(reference) > 300, "the manifest should cover the whole site"
    assert _differences(reference, again) == []

