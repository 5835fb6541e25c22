"""Fail when branch coverage of the product packages is under the floor.

coverage.py's own `fail_under` checks statements and branches together; the floor we keep is on
branches alone (`covered_branches / num_branches`), read from its JSON report.
Usage: python scripts/coverage_floor.py var/coverage.json 85 assistant/ actions/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def branch_coverage(report: dict[str, object], prefixes: tuple[str, ...]) -> tuple[int, int]:
    covered = total = 0
    files = report["files"]
    assert isinstance(files, dict)
    for name, data in files.items():
        if name.startswith(prefixes):
            summary = data["summary"]
            covered += int(summary["covered_branches"])
            total += int(summary["num_branches"])
    return covered, total


def main(argv: list[str]) -> int:
    report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    floor, prefixes = float(argv[1]), tuple(argv[2:])
    covered, total = branch_coverage(report, prefixes)
    percent = 100.0 * covered / total if total else 0.0
    names = ", ".join(prefixes)
    print(f"branch coverage of {names}: {covered}/{total} = {percent:.1f} % (floor {floor:g} %)")
    return 0 if percent >= floor else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
