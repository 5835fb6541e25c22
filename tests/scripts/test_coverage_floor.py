"""The coverage floor counts branches of the named packages only."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.coverage_floor import branch_coverage, main


def summary(covered: int, total: int) -> dict[str, object]:
    return {"summary": {"covered_branches": covered, "num_branches": total}}


REPORT = {
    "files": {"assistant/a.py": summary(8, 10), "actions/b.py": summary(9, 10), "tests/t.py": summary(0, 50)}
}


def test_only_the_named_packages_count() -> None:
    assert branch_coverage(REPORT, ("assistant/", "actions/")) == (17, 20)
    assert branch_coverage(REPORT, ("actions/",)) == (9, 10)


def test_the_floor_fails_below_and_passes_at_it(tmp_path: Path) -> None:
    path = tmp_path / "coverage.json"
    path.write_text(json.dumps(REPORT), encoding="utf-8")
    assert main([str(path), "85", "assistant/", "actions/"]) == 0  # 85.0 %
    assert main([str(path), "86", "assistant/", "actions/"]) == 1
