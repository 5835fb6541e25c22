"""What the deployment files are checked against: the settings, the command line, the benchmark."""

from __future__ import annotations

import argparse
import re

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.ops.cli import build_parser

COMPOSE_ONLY = {"POSTGRES_PASSWORD", "ASSISTANT_VERSION"}  # read by compose itself (.env.example)


def settings_names() -> set[str]:
    """Every environment variable `Settings` reads."""
    return {str(field.field_info.extra["env"]) for field in Settings.__fields__.values()}


def parse_command(args: list[str]) -> argparse.Namespace:
    """The arguments of `assistant ...`, as the command line reads them (SystemExit when unknown)."""
    return build_parser().parse_args(args)


def measured_peak_mb() -> dict[str, float]:
    """Peak RSS per process under saturation, from bench/results/latest.md ("ours | saturation")."""
    report = (PROJECT_ROOT / "bench" / "results" / "latest.md").read_text(encoding="utf-8")
    row = next(line for line in report.splitlines() if line.startswith("| ours | saturation |"))
    peaks: dict[str, float] = {}
    for name, value in re.findall(r"(actions|rasa-\d+|rasa|gateway) ([\d.]+)", row):
        role = "rasa" if name.startswith("rasa") else name
        peaks[role] = max(peaks.get(role, 0.0), float(value))
    return peaks


@pytest.fixture(scope="session")
def known_names() -> set[str]:
    return settings_names()
