"""Where our code reaches into other packages' internals, one module per upstream package.

Each patch names the versions of its package it was written and tested against
(:class:`Patch`).  At start-up :func:`applies` compares them with the installed version:
outside that range the patch is not applied — the package's own behaviour stays, which
is correct, only slower or less reproducible — and one warning (``compat.version``)
names the package, its version and what is left as upstream does it.  Under ``-W`` that
warning stops the build until someone checks the patch against the new release (and
widens its range) or accepts upstream's behaviour with
``suppress_warnings = ["compat.version"]``.  UPSTREAM.md lists every patch with its
reason and what would let us delete it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.version import Version
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Patch:
    """One patch of another package: the package, the versions it was tested with, and what
    the site loses without it."""

    package: str
    tested: str
    without_it: str


def installed(package: str) -> str | None:
    """The installed version of the distribution *package*, or None."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


# per application, the patches already decided: several parts ask about one patch
_decided: weakref.WeakKeyDictionary[Sphinx, dict[Patch, bool]] = weakref.WeakKeyDictionary()


def applies(app: Sphinx, patch: Patch) -> bool:
    """Whether *patch* may be applied to the installed version of its package; if not, say so
    once per application."""
    decided = _decided.setdefault(app, {})
    if patch not in decided:
        found = installed(patch.package)
        decided[patch] = found is not None and Version(found) in SpecifierSet(patch.tested)
        if not decided[patch]:
            logger.warning(
                "%s %s is not a version our patch of it was written for (%s); left as %s does it: %s",
                patch.package, found or "(not installed)", patch.tested, patch.package, patch.without_it,
                type="compat", subtype="version",
            )
    return decided[patch]
