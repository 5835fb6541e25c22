"""Train the Rasa model only when its inputs changed, keyed by a hash of those inputs."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

TRAINING_DIRS = ("data/nlu", "data/rules", "data/stories")
TRAINING_FILES = ("domain.yml", "config.yml")
COMPONENT_DIRS = ("assistant/nlu", "assistant/french")  # our own pipeline components and what they import


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    files = [root / name for name in TRAINING_FILES]
    for folder in TRAINING_DIRS:
        files += sorted(
            p for p in (root / folder).rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")
        )
    for folder in COMPONENT_DIRS:
        files += sorted((root / folder).rglob("*.py"))
    return files


def inputs_hash(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over Rasa's version and every training input (path and content)."""
    digest = hashlib.sha256(f"rasa={version('rasa')}\n".encode())
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_name(root: Path = PROJECT_ROOT) -> str:
    return f"model-{inputs_hash(root)}"


def ensure_model(settings: Settings, root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    """Return the trained model for the current inputs, training it if it does not exist yet.

    Models are kept in `MODELS_DIR` and in a cache outside the checkout (`MODEL_CACHE_DIR`),
    so a fresh clone with unchanged inputs reuses the model trained earlier on this machine.
    """
    name = model_name(root)
    target = settings.models_dir / f"{name}.tar.gz"
    cached = settings.model_cache_dir / f"{name}.tar.gz"
    if target.exists() and not force:
        log.info("model up to date: %s", target.name)
        return target
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    if cached.exists() and not force:
        shutil.copy2(cached, target)
        log.info("model restored from cache: %s", target.name)
        return target
    started = time.monotonic()
    command = [
        sys.executable, "-m", "rasa", "train",
        "--domain", str(root / "domain.yml"),
        "--config", str(root / "config.yml"),
        "--data", *(str(root / d) for d in TRAINING_DIRS),
        "--out", str(settings.models_dir),
        "--fixed-model-name", name,
    ]  # fmt: skip
    subprocess.run(command, cwd=root, check=True)
    if not target.exists():
        raise RuntimeError(f"rasa train did not produce {target}")
    log.info("model trained in %.0f s: %s", time.monotonic() - started, target.name)
    settings.model_cache_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target, cached)
    return target
