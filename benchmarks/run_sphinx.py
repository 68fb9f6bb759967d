"""Run one sphinx-build in this process and report its peak memory (used by bench.py)."""

import json
import resource
import sys

from sphinx.cmd.build import main

status = main(sys.argv[2:])
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "w", encoding="utf-8") as report:
    json.dump({"status": status, "peak_rss_mib": peak_kib / 1024}, report)
sys.exit(status)
