"""Figures from the raw results, the issue's targets next to them, JSON and Markdown files."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from bench.load import ShapeResult

MB = 1024 * 1024
SHAPES = ("interactive", "saturation")
SMOKE_NOTE = "**Short run (under 60 s per shape): smoke figures, not a benchmark result.**"
NOTES = (
    "A message is one request: opening a conversation or sending a message in it. Errors are non-2xx "
    "answers, timeouts and the gateway's delayed-answer message. The stack ran with "
    "`RATE_LIMIT_PER_MINUTE` raised above what the load sends (the check itself still runs); "
    "the baseline shares the action server. Ours: Rasa's tracker store and the atomic lock store in "
    "Redis, several single-worker Rasa processes balanced by the gateway; baseline: a default "
    "`rasa run` (in-memory tracker and lock stores, one process). Peak RSS: VmRSS of each "
    "process and its children, sampled every 0.5 s; "
    "Pss: the same with pages shared between processes counted once."
)


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    """The q-th percentile (0-100) with linear interpolation between ranks, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ms(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value * 1000, 1)


def summarize(result: ShapeResult, rss: Optional[dict[str, int]] = None) -> dict[str, Any]:
    """One shape against one target: latency percentiles, throughput, errors, peak RSS in MB."""
    lat = result.latencies
    return {
        "messages": len(lat),
        "conversations": result.conversations,
        "elapsed_s": round(result.elapsed, 2),
        "throughput_per_s": round(len(lat) / result.elapsed, 2) if result.elapsed else 0.0,
        "p50_ms": _ms(percentile(lat, 50)),
        "p95_ms": _ms(percentile(lat, 95)),
        "p99_ms": _ms(percentile(lat, 99)),
        "errors": result.error_count,
        "error_kinds": dict(sorted(result.errors.items())),
        "peak_rss_mb": None if rss is None else {k: round(v / MB, 1) for k, v in rss.items()},
    }


def _ratio(ours: Any, baseline: Any) -> Optional[float]:
    if not isinstance(ours, (int, float)) or not isinstance(baseline, (int, float)) or not baseline:
        return None
    return round(ours / baseline, 3)


def ratios(targets: dict[str, dict[str, Any]]) -> dict[str, dict[str, Optional[float]]]:
    """Ours / baseline per shape (below 1 is better for latency, above 1 for throughput)."""
    ours, baseline = targets.get("ours", {}), targets.get("baseline", {})
    return {
        shape: {
            key: _ratio(ours[shape].get(key), baseline[shape].get(key))
            for key in ("p50_ms", "p95_ms", "p99_ms", "throughput_per_s")
        }
        for shape in SHAPES
        if shape in ours and shape in baseline
    }


def _check(name: str, target: str, value: Any, ok: Optional[bool]) -> dict[str, Any]:
    return {"name": name, "target": target, "value": value, "ok": ok}


def _at_most(value: Any, limit: float) -> Optional[bool]:
    return None if not isinstance(value, (int, float)) else value <= limit


def checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value; ok is None when it was not measured."""
    ours = results["targets"].get("ours", {})
    inter, sat = ours.get("interactive", {}), ours.get("saturation", {})
    sat_ratio = results["ratios"].get("saturation", {}).get("throughput_per_s")
    overhead = results.get("overhead", {}).get("median_difference_ms")
    rss = [s["peak_rss_mb"]["total"] for s in ours.values() if s.get("peak_rss_mb")]
    peak_rss = max(rss, default=None)
    pss = [s["peak_rss_mb"].get("total_pss") for s in ours.values() if s.get("peak_rss_mb")]
    peak_pss = max((p for p in pss if p is not None), default=None)
    startup = results["startup"].get("ours_s")
    return [
        _check("interactive p50", "≤ 150 ms", inter.get("p50_ms"), _at_most(inter.get("p50_ms"), 150)),
        _check("interactive p99", "≤ 600 ms", inter.get("p99_ms"), _at_most(inter.get("p99_ms"), 600)),
        _check("interactive errors", "0", inter.get("errors"), _at_most(inter.get("errors"), 0)),
        _check(
            "saturation throughput / baseline",
            "≥ 1.3",
            sat_ratio,
            None if sat_ratio is None else sat_ratio >= 1.3,
        ),
        _check("saturation errors", "0", sat.get("errors"), _at_most(sat.get("errors"), 0)),
        _check("gateway overhead (median)", "≤ 10 ms", overhead, _at_most(overhead, 10)),
        _check("whole-stack peak RSS, sum of VmRSS (MB)", "≤ 2560 MB", peak_rss, _at_most(peak_rss, 2560)),
        _check("whole-stack peak memory, sum of Pss (MB)", "≤ 2560 MB", peak_pss, _at_most(peak_pss, 2560)),
        _check("start to healthy stack", "≤ 60 s", startup, _at_most(startup, 60)),
    ]


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _rss(peaks: Optional[dict[str, float]]) -> str:
    if not peaks:
        return "–"
    parts = ", ".join(f"{k} {v:g}" for k, v in peaks.items() if k not in ("total", "total_pss"))
    pss = f"; Pss {peaks['total_pss']:g}" if peaks.get("total_pss") else ""
    return f"{peaks['total']:g} ({parts}){pss}"


def _overhead(overhead: Optional[dict[str, Any]]) -> str:
    if not overhead:
        return "Gateway overhead at light load: not measured."
    if "error" in overhead:
        return f"Gateway overhead at light load: failed ({overhead['error']})."
    return (
        f"Gateway overhead at light load: median difference {overhead['median_difference_ms']:.1f} ms "
        f"over {overhead['messages']} paired messages (gateway p50 {overhead['gateway_p50_ms']:.1f} ms, "
        f"Rasa REST p50 {overhead['rasa_p50_ms']:.1f} ms)."
    )


def render_markdown(results: dict[str, Any]) -> str:
    machine, settings, checks = results["machine"], results["settings"], results["checks"]
    lines = [
        f"# Benchmark ({results['timestamp']})",
        "",
        f"Machine: {machine['cores']} cores, load average before the run {machine['load_average']}. "
        f"Each shape ran {settings['duration_s']:g} s; load generator on the same machine (loopback). "
        f"Model: `{settings['model']}`. Ours with {settings.get('rasa_workers', 1)} Rasa process(es).",
        *(["", SMOKE_NOTE] if settings["duration_s"] < 60 else []),
        "",
        "| Target of the issue | Target | Measured | Met |",
        "|---|---|---|---|",
        *(f"| {c['name']} | {c['target']} | {_cell(c['value'])} | {_cell(c['ok'])} |" for c in checks),
        "",
        "| Stack | Shape | Messages | msg/s | p50 ms | p95 ms | p99 ms | Errors | Peak RSS MB (total) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, shapes in results["targets"].items():
        for shape, s in shapes.items():
            errors = f"{s['errors']} {s['error_kinds']}" if s["errors"] else "0"
            figures = [s[k] for k in ("messages", "throughput_per_s", "p50_ms", "p95_ms", "p99_ms")]
            cells = [name, shape, *map(_cell, figures), errors, _rss(s["peak_rss_mb"])]
            lines.append("| " + " | ".join(cells) + " |")
    for shape, r in results["ratios"].items():
        lines.append("")
        lines.append(
            f"Ours / baseline, {shape}: p50 ×{_cell(r['p50_ms'])}, p95 ×{_cell(r['p95_ms'])}, "
            f"p99 ×{_cell(r['p99_ms'])}, throughput ×{_cell(r['throughput_per_s'])}."
        )
    startup = results["startup"]
    lines += [
        "",
        _overhead(results.get("overhead")),
        "",
        f"Start to healthy: ours {_cell(startup.get('ours_s'))} s, "
        f"baseline {_cell(startup.get('baseline_s'))} s (model ready in {_cell(startup.get('model_s'))} s).",
        "",
        NOTES,
        "",
    ]
    return "\n".join(lines)


def write(results: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["timestamp"].replace(":", "").replace("-", "")
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    paths = [out / f"bench-{stamp}.json", out / "latest.json", out / "latest.md"]
    paths[0].write_text(text, encoding="utf-8")
    paths[1].write_text(text, encoding="utf-8")
    paths[2].write_text(render_markdown(results), encoding="utf-8")
    return paths
