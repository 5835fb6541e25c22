"""The model is retrained only when its inputs change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.rasa.training import ensure_model, inputs_hash, model_name


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("domain.yml", "config.yml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / name, root / name)
    for folder in ("data/nlu", "data/rules", "data/stories", "assistant/nlu"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    return root


def test_hash_is_stable_and_sensitive(project_copy: Path) -> None:
    before = inputs_hash(project_copy)
    assert inputs_hash(project_copy) == before
    (project_copy / "data" / "kb").mkdir(parents=True)
    (project_copy / "data" / "kb" / "x.json").write_text("{}")
    assert inputs_hash(project_copy) == before  # the knowledge base is not a training input
    nlu = next((project_copy / "data" / "nlu").glob("*.yml"))
    nlu.write_text(nlu.read_text() + "\n# changed\n")
    changed_data = inputs_hash(project_copy)
    assert changed_data != before
    component = project_copy / "assistant" / "nlu" / "spelling.py"
    component.write_text(component.read_text() + "\n# changed\n")
    assert inputs_hash(project_copy) != changed_data  # our pipeline components shape the model too


def test_existing_model_is_reused_without_training(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, models_dir=tmp_path / "models", model_cache_dir=tmp_path / "cache"
    )
    cached = settings.model_cache_dir / f"{model_name(project_copy)}.tar.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"model")

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("rasa train must not run")

    monkeypatch.setattr(subprocess, "run", forbidden)
    restored = ensure_model(settings, project_copy)
    assert restored.read_bytes() == b"model" and restored.parent == settings.models_dir
    assert ensure_model(settings, project_copy) == restored


def test_real_model_matches_current_inputs(trained_model: Path) -> None:
    assert trained_model.name == f"{model_name()}.tar.gz"
    assert trained_model.stat().st_size > 100_000
