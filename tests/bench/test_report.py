"""Percentiles, summaries, ratios, the issue's targets and the rendered files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import report
from bench.load import ShapeResult


def test_percentile_interpolates_between_ranks() -> None:
    assert report.percentile([], 50) is None
    assert report.percentile([4.0], 99) == 4.0
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert report.percentile(values, 0) == 1.0
    assert report.percentile(values, 50) == 3.0
    assert report.percentile(values, 100) == 5.0
    assert report.percentile([10.0, 20.0], 25) == pytest.approx(12.5)
    assert report.percentile(list(range(1, 101)), 99) == pytest.approx(99.01)


def shape(latencies: list[float], elapsed: float, errors: dict[str, int] | None = None) -> ShapeResult:
    return ShapeResult(latencies=latencies, errors=errors or {}, conversations=2, elapsed=elapsed)


def results() -> dict[str, Any]:
    mb = 1024 * 1024
    rss = {"actions": 100 * mb, "rasa": 700 * mb, "gateway": 80 * mb, "total": 880 * mb}
    rss["total_pss"] = 800 * mb
    targets = {
        "ours": {
            "interactive": report.summarize(shape([0.1, 0.12, 0.2], 2.0), rss),
            "saturation": report.summarize(shape([0.5] * 30, 2.0, {"timeout": 1}), rss),
        },
        "baseline": {
            "interactive": report.summarize(shape([0.1, 0.1, 0.1], 2.0)),
            "saturation": report.summarize(shape([0.5] * 20, 2.0)),
        },
    }
    data: dict[str, Any] = {
        "timestamp": "2026-01-02T03:04:05Z",
        "machine": {"cores": 2, "load_average": [1.0, 1.0, 1.0]},
        "settings": {"duration_s": 2.0, "model": "model-x.tar.gz"},
        "startup": {"ours_s": 42.0, "baseline_s": 30.0, "model_s": 0.1},
        "overhead": {
            "rounds": 1,
            "messages": 8,
            "gateway_p50_ms": 60,
            "rasa_p50_ms": 55,
            "median_difference_ms": 4,
        },
        "targets": targets,
        "ratios": report.ratios(targets),
    }
    data["checks"] = report.checks(data)
    return data


def test_summary_ratios_and_checks() -> None:
    data = results()
    inter = data["targets"]["ours"]["interactive"]
    assert inter["messages"] == 3 and inter["throughput_per_s"] == 1.5
    assert inter["p50_ms"] == 120.0 and inter["peak_rss_mb"]["total"] == 880.0
    assert data["targets"]["ours"]["saturation"]["error_kinds"] == {"timeout": 1}
    assert data["ratios"]["saturation"]["throughput_per_s"] == 1.5
    assert data["ratios"]["interactive"]["p50_ms"] == 1.2
    met = {c["name"]: c["ok"] for c in data["checks"]}
    assert met["interactive p50"] is True and met["interactive p99"] is True
    assert met["saturation throughput / baseline"] is True
    assert met["saturation errors"] is False
    assert met["gateway overhead (median)"] is True
    assert met["whole-stack peak RSS, sum of VmRSS (MB)"] is True and met["start to healthy stack"] is True
    assert met["whole-stack peak memory, sum of Pss (MB)"] is True


def test_checks_without_a_baseline_are_unknown() -> None:
    data = results()
    del data["targets"]["baseline"]
    data["ratios"] = report.ratios(data["targets"])
    assert data["ratios"] == {}
    met = {c["name"]: c["ok"] for c in report.checks(data)}
    assert met["saturation throughput / baseline"] is None


def test_markdown_and_files(tmp_path: Path) -> None:
    data = results()
    text = report.render_markdown(data)
    assert "2 cores" in text
    assert "| interactive p50 | ≤ 150 ms | 120 | yes |" in text
    assert "| saturation errors | 0 | 1 | **no** |" in text
    assert "| ours | interactive | 3 | 1.5 | 120 |" in text
    assert "880 (actions 100, rasa 700, gateway 80); Pss 800" in text
    assert "median difference 4.0 ms" in text
    assert "throughput ×1.5" in text
    paths = report.write(data, tmp_path)
    assert [p.name for p in paths] == ["bench-20260102T030405Z.json", "latest.json", "latest.md"]
    assert json.loads(paths[1].read_text(encoding="utf-8")) == data
    assert paths[2].read_text(encoding="utf-8") == text
