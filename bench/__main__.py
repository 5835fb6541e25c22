"""`python -m bench`: the gateway stack and a plain `rasa run` under the same bounded loads."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from bench import report
from bench.load import INTERACTIVE, SATURATION, run_shape
from bench.overhead import measure_overhead, sequential
from bench.rss import RssSampler
from bench.stack import RASA_WORKERS, BenchStacks, Running
from bench.targets import GatewayTarget, RasaRestTarget, Target

RESULTS = Path(__file__).resolve().parent / "results"


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per load shape (60)")
    parser.add_argument("--only", choices=("ours", "baseline"), help="run one side only")
    parser.add_argument("--url", help="use this running gateway instead of starting one")
    parser.add_argument("--rasa-url", help="with --url: the Rasa behind it, for the gateway overhead")
    parser.add_argument("--timeout", type=float, default=30.0, help="request timeout in seconds (30)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder (bench/results)")
    parser.add_argument(
        "--rasa-workers",
        type=int,
        default=RASA_WORKERS,
        help=f"Rasa processes of ours ({RASA_WORKERS})",
    )
    return parser.parse_args(argv)


async def drive(
    targets: dict[str, tuple[Target, Running]], args: argparse.Namespace, overhead_rasa: Optional[str]
) -> dict[str, Any]:
    results: dict[str, Any] = {"targets": {}}
    for name, (target, running) in targets.items():
        print(f"[bench] {name}: warm-up conversation", flush=True)
        await sequential(target, seed=0, timeout=args.timeout)
        if name == "ours" and overhead_rasa:
            print("[bench] ours: gateway overhead at light load", flush=True)
            results["overhead"] = await measure_overhead(target, RasaRestTarget(overhead_rasa))
        shapes: dict[str, Any] = {}
        for shape in (INTERACTIVE, SATURATION):
            print(f"[bench] {name}: {shape.name} ({shape.concurrency} conversations)", flush=True)
            sampler = RssSampler(running.pids) if running.pids else None
            if sampler is not None:
                with sampler:
                    outcome = await run_shape(target, shape, args.duration, args.timeout)
                rss: Optional[dict[str, int]] = {
                    **sampler.peaks,
                    "total": sampler.total_peak,
                    "total_pss": sampler.total_pss_peak,
                }
            else:
                outcome, rss = await run_shape(target, shape, args.duration, args.timeout), None
            shapes[shape.name] = report.summarize(outcome, rss)
        results["targets"][name] = shapes
    return results


def run(args: argparse.Namespace) -> dict[str, Any]:
    from assistant.config import Settings
    from assistant.rasa.training import ensure_model

    started = time.monotonic()
    environment = Settings()  # type: ignore[call-arg]
    model = ensure_model(environment)
    startup: dict[str, Optional[float]] = {"model_s": round(time.monotonic() - started, 1)}
    targets: dict[str, tuple[Target, Running]] = {}
    with BenchStacks() as stacks:
        overhead_rasa = args.rasa_url
        if args.only != "baseline":
            if args.url:
                ours = Running(url=args.url)
            else:
                print("[bench] starting the stack (actions, rasa, gateway)", flush=True)
                ours = stacks.start_ours(model, environment.redis_url, args.rasa_workers)
                overhead_rasa = ours.rasa_url
            targets["ours"] = (GatewayTarget(ours.url), ours)
            startup["ours_s"] = None if ours.startup_seconds is None else round(ours.startup_seconds, 1)
        if args.only != "ours":
            print("[bench] starting the baseline (plain rasa run)", flush=True)
            baseline = stacks.start_baseline(model)
            targets["baseline"] = (RasaRestTarget(baseline.url), baseline)
            startup["baseline_s"] = round(baseline.startup_seconds or 0.0, 1)
        results = asyncio.run(drive(targets, args, overhead_rasa))
    results["startup"] = startup
    results["settings"] = {
        "duration_s": args.duration,
        "request_timeout_s": args.timeout,
        "only": args.only,
        "url": args.url,
        "model": model.name,
        "rasa_workers": args.rasa_workers if environment.redis_url else 1,
        "redis": bool(environment.redis_url),
    }
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop every child
    load = [round(x, 2) for x in os.getloadavg()]
    timestamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    results = {
        "timestamp": timestamp,
        "machine": {"cores": os.cpu_count(), "load_average": load, "python": platform.python_version()},
        **run(args),
    }
    results["ratios"] = report.ratios(results["targets"])
    results["checks"] = report.checks(results)
    for path in report.write(results, args.out):
        print(f"[bench] wrote {path}", flush=True)
    print(report.render_markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
