"""Sanity checks on the NLU training data and the held-out NLU test set."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from assistant.french.folding import strip_accents

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = ROOT / "data" / "nlu"
HELDOUT_FILE = ROOT / "tests" / "nlu" / "heldout.yml"

# The situations come from the knowledge base: one intent each, grouped by audience.
_SITUATIONS = json.loads((ROOT / "data" / "kb" / "situations.json").read_text(encoding="utf-8"))["situations"]
FICHES: dict[str, list[str]] = {}
for _situation in _SITUATIONS:
    FICHES.setdefault(_situation["audience"], []).append(_situation["id"])
ALL_FICHES = [fiche for fiches in FICHES.values() for fiche in fiches]
SITUATION_INTENTS = [f"situation_{fiche}" for fiche in ALL_FICHES]
BASE_INTENTS = [
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "out_of_scope",
]

DIALOGUE_INTENTS = [
    "answer",
    "change_answers",
    "plan_next",
    "plan_details",
    "ask_demarche",
    "ask_definition",
    "ask_human",
]

MIN_TRAINING_SITUATION = 25
MIN_HELDOUT_SITUATION = 6
MIN_TRAINING_BASE = 30
MIN_HELDOUT_BASE = 5
MIN_TRAINING_DIALOGUE = 20
MIN_HELDOUT_DIALOGUE = 6

# Rasa entity annotations: [text](entity), [text]{"entity": ...}
_ENTITY_RE = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalise(text: str) -> str:
    """Lowercase, strip accents, drop punctuation and collapse spaces."""
    text = strip_accents(_ENTITY_RE.sub(r"\1", text))
    text = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
    return " ".join(text.split())


def compact(text: str) -> str:
    """Normalised form without any spaces ("j'ai" and "jai" collide)."""
    return normalise(text).replace(" ", "")


def _parse_examples(block: str) -> list[str]:
    examples = []
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        assert line.startswith("- "), f"malformed example line: {line!r}"
        examples.append(line[2:].strip())
    return examples


def load_nlu(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    assert str(data.get("version")) == "3.1", f"{path}: version must be 3.1"
    intents: dict[str, list[str]] = defaultdict(list)
    for item in data.get("nlu") or []:
        if "intent" not in item:
            continue
        intents[item["intent"]].extend(_parse_examples(item["examples"]))
    return dict(intents)


def _merge(paths: list[Path]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for intent, examples in load_nlu(path).items():
            merged[intent].extend(examples)
    return dict(merged)


@pytest.fixture(scope="module")
def training() -> dict[str, list[str]]:
    paths = sorted(TRAINING_DIR.glob("*.yml")) + sorted(TRAINING_DIR.glob("*.yaml"))
    assert paths, f"no NLU training files in {TRAINING_DIR}"
    return _merge(paths)


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[str]]:
    assert HELDOUT_FILE.exists(), f"missing {HELDOUT_FILE}"
    return load_nlu(HELDOUT_FILE)


def test_expected_files_exist() -> None:
    for name in [
        "base.yml",
        "situations_particuliers.yml",
        "situations_professionnels.yml",
        "situations_associations.yml",
    ]:
        assert (TRAINING_DIR / name).is_file(), f"missing data/nlu/{name}"


def test_the_knowledge_base_has_the_three_audiences() -> None:
    assert set(FICHES) == {"particuliers", "professionnels", "associations"}
    assert len(set(ALL_FICHES)) == len(ALL_FICHES) > 0


@pytest.mark.parametrize("fiche", ALL_FICHES)
def test_every_fiche_has_an_intent(fiche: str, training, heldout) -> None:
    intent = f"situation_{fiche}"
    assert intent in training, f"no training intent for {fiche}"
    assert intent in heldout, f"no held-out intent for {fiche}"


@pytest.mark.parametrize("audience", sorted(FICHES))
def test_situations_are_in_their_audience_file(audience: str) -> None:
    intents = load_nlu(TRAINING_DIR / f"situations_{audience}.yml")
    expected = {f"situation_{fiche}" for fiche in FICHES[audience]}
    assert set(intents) == expected


def test_no_unknown_situation_intent(training, heldout) -> None:
    known = set(SITUATION_INTENTS)
    for intents in (training, heldout):
        unknown = {i for i in intents if i.startswith("situation_")} - known
        assert not unknown, f"unknown situation intents: {sorted(unknown)}"


@pytest.mark.parametrize("intent", SITUATION_INTENTS)
def test_situation_example_counts(intent: str, training, heldout) -> None:
    assert len(training.get(intent, [])) >= MIN_TRAINING_SITUATION, intent
    assert len(heldout.get(intent, [])) >= MIN_HELDOUT_SITUATION, intent


@pytest.mark.parametrize("intent", BASE_INTENTS)
def test_base_example_counts(intent: str, training, heldout) -> None:
    assert len(training.get(intent, [])) >= MIN_TRAINING_BASE, intent
    assert len(heldout.get(intent, [])) >= MIN_HELDOUT_BASE, intent


@pytest.mark.parametrize("intent", DIALOGUE_INTENTS)
def test_dialogue_example_counts(intent: str, training, heldout) -> None:
    assert len(training.get(intent, [])) >= MIN_TRAINING_DIALOGUE, intent
    assert len(heldout.get(intent, [])) >= MIN_HELDOUT_DIALOGUE, intent


def test_heldout_does_not_overlap_training(training, heldout) -> None:
    train_keys: dict[str, str] = {}
    for intent, examples in training.items():
        for example in examples:
            train_keys[normalise(example)] = intent
            train_keys[compact(example)] = intent
    leaks = [
        (intent, example, train_keys.get(normalise(example)) or train_keys[compact(example)])
        for intent, examples in heldout.items()
        for example in examples
        if normalise(example) in train_keys or compact(example) in train_keys
    ]
    assert not leaks, f"held-out examples also in training: {leaks}"


@pytest.mark.parametrize("name", ["training", "heldout"])
def test_no_duplicate_examples(name: str, request) -> None:
    """No example twice in an intent, nor (once normalised) in two intents.

    Spelling variants of one example inside the same intent ("décès" and
    "deces") are deliberate and allowed.
    """
    intents = request.getfixturevalue(name)
    owner: dict[str, str] = {}
    conflicts = []
    repeats = []
    for intent, examples in intents.items():
        seen_here: set[str] = set()
        for example in examples:
            key = compact(example)
            assert key, f"example without any word in {intent}: {example!r}"
            if example.lower() in seen_here:
                repeats.append((intent, example))
            seen_here.add(example.lower())
            if owner.setdefault(key, intent) != intent:
                conflicts.append((example, owner[key], intent))
    assert not repeats, f"repeated examples in {name}: {repeats}"
    assert not conflicts, f"examples shared by two intents in {name}: {conflicts}"


def test_every_intent_is_declared_in_domain(training, heldout) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    declared = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    for intents in (training, heldout):
        missing = set(intents) - declared
        assert not missing, f"intents not declared in domain.yml: {sorted(missing)}"
    for intent in DIALOGUE_INTENTS + BASE_INTENTS + SITUATION_INTENTS:
        assert intent in training, f"intent {intent} has no training example"
