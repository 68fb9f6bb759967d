"""Read the Docs builds the same site: its configuration validates against RTD's schema."""

from __future__ import annotations

import subprocess
import sys

import yaml

from helpers import REPO


def test_readthedocs_yaml_validates():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.readthedocs",
         str(REPO / ".readthedocs.yaml")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readthedocs_builds_our_configuration_with_locked_requirements():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    assert config["sphinx"]["configuration"] == "docs/conf.py"
    assert config["sphinx"]["fail_on_warning"] is True
    assert {"requirements": "requirements/docs.txt"} in config["python"]["install"]
