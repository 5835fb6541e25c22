"""How our Rasa launcher loads the model: the same predictions, faster, into less memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.config import PROJECT_ROOT


def test_tf_models_are_loaded_without_training_with_the_same_weights(
    monkeypatch: pytest.MonkeyPatch, trained_model: Path, tmp_path: Path
) -> None:
    """TED loaded with one prediction instead of Rasa's one training step: every weight and every
    label embedding the same as after Rasa's own loading."""
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.utils.common import override_defaults
    from rasa.utils.tensorflow import models

    from assistant.rasa.loading import load_tf_models_without_training_step

    storage, metadata = LocalModelStorage.from_model_archive(tmp_path, trained_model)
    name, node = next((k, n) for k, n in metadata.predict_schema.nodes.items() if n.uses is TEDPolicy)
    context = ExecutionContext(metadata.predict_schema, metadata.model_id, node_name=name)
    config = override_defaults(TEDPolicy.get_default_config(), node.config)
    trained_steps: list[int] = []
    monkeypatch.setattr(models.RasaModel, "load", models.RasaModel.__dict__["load"])
    monkeypatch.setattr(models.RasaModel, "train_step", _counting(models.RasaModel.train_step, trained_steps))
    theirs = TEDPolicy.load(config, storage, node.resource, context).model
    assert trained_steps  # Rasa's loading trains one step
    trained_steps.clear()
    load_tf_models_without_training_step()
    ours = TEDPolicy.load(config, storage, node.resource, context).model
    assert trained_steps == []
    assert ours is not theirs and len(ours.trainable_weights) == len(theirs.trainable_weights) > 20
    for mine, rasas in zip(ours.trainable_weights, theirs.trainable_weights, strict=True):
        assert mine.name == rasas.name and np.array_equal(mine.numpy(), rasas.numpy()), mine.name
    assert np.array_equal(ours.all_labels_embed.numpy(), theirs.all_labels_embed.numpy())


def _counting(method: Any, calls: list[int]) -> Any:
    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return method(self, *args, **kwargs)

    return counted


def test_spacy_models_are_loaded_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from assistant.rasa.loading import load_spacy_models_once

    monkeypatch.setattr(SpacyNLP, "load_model", SpacyNLP.__dict__["load_model"])  # a staticmethod
    load_spacy_models_once()
    first = SpacyNLP.load_model("fr_core_news_sm")
    second = SpacyNLP.load_model("fr_core_news_sm")
    assert first is second  # one model in memory, whichever graph node asks
    assert first.model.lang == "fr" and [t.text for t in first.model("je déménage")] == ["je", "déménage"]
    assert "ner" not in first.model.component_names and "parser" not in first.model.component_names


def test_the_lean_model_reads_every_nlu_example_as_the_full_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """What SpacyTokenizer and SpacyFeaturizer read (text, lemma, part of speech, vectors), and
    the rest of each token, are the same without the parser, the entity recogniser and the
    model's string table, for every training and held-out example."""
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.training_data.loading import load_data

    from assistant.rasa.loading import load_spacy_models_once

    monkeypatch.setattr(SpacyNLP, "load_model", SpacyNLP.__dict__["load_model"])
    full = SpacyNLP.load_model("fr_core_news_md").model  # Rasa's own loading
    load_spacy_models_once()
    lean = SpacyNLP.load_model("fr_core_news_md").model
    assert lean is not full
    assert len(lean.vocab.strings) < 10_000
    assert len(full.vocab.strings) > 700_000
    assert lean.vocab.vectors.shape == full.vocab.vectors.shape == (20_000, 300)
    examples = [*load_data(str(PROJECT_ROOT / "data" / "nlu")).training_examples]
    examples += load_data(str(PROJECT_ROOT / "tests" / "nlu" / "heldout.yml")).training_examples
    texts = [str(message.get("text")) for message in examples]
    assert len(texts) > 2_000
    for text, theirs in zip(texts, full.pipe(texts, batch_size=50), strict=True):
        ours = lean(text)  # as Rasa reads a message at run time
        assert [_token(t) for t in ours] == [_token(t) for t in theirs], text
        assert (ours.vector == theirs.vector).all() and ours.ents == ()


def _token(token: Any) -> tuple[Any, ...]:
    return (
        token.text, token.lemma_, token.pos_, token.tag_, str(token.morph), token.norm_,
        token.shape_, token.is_stop, token.has_vector, token.vector.tobytes(),
    )  # fmt: skip


async def test_memory_is_given_back_once_the_model_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.core.run as run

    from assistant.rasa import loading as rasa_loading

    calls: list[str] = []

    async def load(*args: Any) -> str:
        calls.append("load")
        return "agent"

    def release() -> bool:
        calls.append("release")
        return True

    monkeypatch.setattr(run, "load_agent_on_start", load)
    monkeypatch.setattr(rasa_loading, "release_free_memory", release)
    rasa_loading.release_memory_after_loading()
    assert await run.load_agent_on_start("model", None, None) == "agent"
    assert calls == ["load", "release"]


def test_free_memory_goes_back_to_the_system_on_glibc() -> None:
    from assistant.rasa.loading import release_free_memory

    assert release_free_memory() is True  # these machines run Debian's glibc


def test_skops_is_imported_before_tensorflow() -> None:
    """Importing the launcher loads no TensorFlow, nor does importing skops: `main()`, which
    imports skops first, has skops find each ufunc's module among few modules."""
    code = (
        "import sys; from assistant.rasa import server as rasa_server; "
        "assert 'tensorflow' not in sys.modules; "
        "rasa_server.rasa_loading.import_skops_before_tensorflow(); "
        "assert 'skops.io' in sys.modules and 'tensorflow' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
