"""The Dockerfile, read as text: no daemon here to build it, so every command it runs is checked instead."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from dataclasses import dataclass

import pytest
import tomli

from assistant.config import PROJECT_ROOT
from assistant.rasa.training import COMPONENT_DIRS, TRAINING_DIRS, TRAINING_FILES
from tests.deploy.conftest import parse_command

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


@dataclass
class Instruction:
    stage: str
    keyword: str
    arguments: str


def instructions() -> list[Instruction]:
    """One per instruction, continuation lines joined, comments dropped, with the stage it is in."""
    found: list[Instruction] = []
    stage = ""
    logical = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            logical += line.rstrip()[:-1] + " "
            continue
        logical += line
        keyword, _, arguments = logical.strip().partition(" ")
        logical = ""
        if keyword.upper() == "FROM":
            stage = arguments.split(" AS ")[-1].strip() if " AS " in arguments else arguments
        found.append(Instruction(stage, keyword.upper(), arguments.strip()))
    return found


def exec_form(arguments: str) -> list[str]:
    words: list[str] = json.loads(arguments)
    return words


@pytest.fixture(scope="module")
def parsed() -> list[Instruction]:
    return instructions()


def test_stages_base_image_and_user(parsed: list[Instruction]) -> None:
    stages = [i.arguments for i in parsed if i.keyword == "FROM"]
    assert stages == ["${PYTHON_IMAGE} AS build", "build AS model", "${PYTHON_IMAGE} AS runtime"]
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.10-slim", DOCKERFILE.read_text(encoding="utf-8"), re.M)
    runtime = [i for i in parsed if i.stage == "runtime"]
    user = [i.arguments for i in runtime if i.keyword == "USER"]
    assert user == ["10001:10001"]  # not root, created by useradd in the same stage
    assert any("useradd --system --uid 10001" in i.arguments for i in runtime if i.keyword == "RUN")
    keywords = [i.keyword for i in runtime]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")


def test_the_lock_is_installed_with_hashes_and_bytecode_compiled(parsed: list[Instruction]) -> None:
    runs = " ".join(i.arguments for i in parsed if i.keyword == "RUN" and i.stage == "build")
    assert "pip install --require-hashes --no-deps -r requirements.lock" in runs
    assert 'grep -q -- "--hash=sha256:" requirements.lock' in runs  # a lock without hashes stops the build
    assert "compileall" in runs and "--no-compile" not in runs  # pip compiles what it installs
    dev = tomli.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["dev"]
    (removing,) = [i.arguments for i in parsed if i.keyword == "RUN" and "pip uninstall" in i.arguments]
    uninstall = re.search(r"pip uninstall --yes ([^&]+)$", removing)
    assert uninstall is not None
    assert sorted(uninstall.group(1).split()) == sorted(re.split(r"[<>=\[ ]", d)[0] for d in dev)


def test_every_command_exists_in_the_project(parsed: list[Instruction]) -> None:
    runtime = {i.keyword: i.arguments for i in parsed if i.stage == "runtime"}
    assert exec_form(runtime["ENTRYPOINT"]) == ["assistant"]
    parse_command(exec_form(runtime["CMD"]))
    health = exec_form(runtime["HEALTHCHECK"].split("CMD ", 1)[1])
    assert health == ["python", "-m", "assistant.ops.health"]
    assert (PROJECT_ROOT / "assistant" / "ops" / "health.py").is_file()
    for instruction in parsed:
        if instruction.keyword != "RUN":
            continue
        for command in re.split(r"&&|\|\||;", instruction.arguments):
            words = shlex.split(command.replace("{", " ").replace("}", " "))
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):  # VAR=value before the command
                words.pop(0)
            if words and (words[0] == "assistant" or words[0].endswith("/.venv/bin/assistant")):
                parse_command(words[1:])
    assert "assistant train" in " ".join(i.arguments for i in parsed if i.stage == "model")


def test_copied_files_exist_and_are_not_ignored(parsed: list[Instruction]) -> None:
    ignored = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]
    copied: set[str] = set()
    for instruction in parsed:
        if instruction.keyword != "COPY" or instruction.arguments.startswith("--from"):
            continue
        *sources, _target = instruction.arguments.split()
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), source
            assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
            copied.add(source)
    # The model's name is a hash of its inputs: the runtime holds all of them, and the knowledge base.
    runtime = {
        p for i in parsed if i.stage == "runtime" and i.keyword == "COPY" for p in i.arguments.split()[:-1]
    }
    assert set(TRAINING_FILES) | set(TRAINING_DIRS) | {"data/kb", "credentials.yml"} <= runtime
    assert all(d.startswith("assistant/") for d in COMPONENT_DIRS) and "/app/assistant" in runtime
    assert "--from=model" in runtime and "/app/models" in runtime


def test_every_locked_package_carries_its_hashes() -> None:
    """`pip install --require-hashes` refuses a lock with one package without a hash."""
    entries = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").split("\n")
    pinned = [i for i, line in enumerate(entries) if re.match(r"^[a-z0-9_.-]+==\S+", line)]
    assert len(pinned) > 200
    assert all(entries[i + 1].strip().startswith("--hash=sha256:") for i in pinned)
