"""The segmenting classifier: windows over the tokens, and the intents of each window."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.segments import SEGMENTS, SegmentingClassifier, windows

TRAINING = {
    "pregnancy": ["je suis enceinte", "elle attend un bébé", "enceinte de trois mois", "un bébé arrive"],
    "job": ["je cherche du travail", "je cherche un emploi", "trouver un boulot", "perdu mon emploi"],
    "moving": ["je déménage bientôt", "nous déménageons", "changer de logement", "un nouveau logement"],
}


def test_windows_cover_the_message_and_skip_short_ones() -> None:
    assert windows(5, 6, 3) == []
    assert windows(6, 6, 3) == []
    assert windows(7, 6, 3) == [(0, 6), (1, 7)]
    assert windows(12, 6, 3) == [(0, 6), (3, 9), (6, 12)]
    spans = windows(25, 6, 3)
    assert spans[0][0] == 0 and spans[-1][1] == 25
    assert all(b[0] - a[0] <= 3 for a, b in itertools.pairwise(spans))


@pytest.fixture
def pipeline(tmp_path: Path) -> tuple[WhitespaceTokenizer, CountVectorsFeaturizer, SegmentingClassifier]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    config = {**CountVectorsFeaturizer.get_default_config()}
    featurizer = CountVectorsFeaturizer.create(config, storage, Resource("cvf"), context)
    examples = [Message(data={TEXT: t, INTENT: i}) for i, texts in TRAINING.items() for t in texts]
    data = TrainingData(training_examples=examples)
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    settings = {**SegmentingClassifier.get_default_config(), "window": 4, "stride": 2}
    classifier = SegmentingClassifier.create(settings, storage, Resource("clf"), context)
    classifier.train(data)
    return tokenizer, featurizer, classifier


def parse(
    pipeline: tuple[WhitespaceTokenizer, CountVectorsFeaturizer, SegmentingClassifier], text: str
) -> Message:
    tokenizer, featurizer, classifier = pipeline
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    featurizer.process([message])
    classifier.process([message])
    return message


def test_each_part_of_a_message_gets_its_own_intent(pipeline) -> None:  # type: ignore[no-untyped-def]
    message = parse(pipeline, "je suis enceinte de trois mois alors je cherche un emploi")
    segments = message.get(SEGMENTS)
    tops = [s["ranking"][0]["name"] for s in segments]
    assert tops[0] == "pregnancy" and tops[-1] == "job"
    assert segments[0]["text"] == "je suis enceinte de"
    assert segments[-1]["text"] == "je cherche un emploi"
    assert message.get(INTENT)["name"] in TRAINING  # the whole message is still classified
    assert message.as_dict(only_output_properties=True)[SEGMENTS] == segments  # reaches the parse


def test_a_short_message_has_no_segments(pipeline) -> None:  # type: ignore[no-untyped-def]
    assert parse(pipeline, "je déménage bientôt").get(SEGMENTS) == []


def test_a_window_over_the_whole_message_scores_like_the_message(pipeline) -> None:  # type: ignore[no-untyped-def]
    _, _, classifier = pipeline
    message = parse(pipeline, "nous déménageons et je cherche du travail")
    sparse, _ = message.get_sparse_features(TEXT)
    counts = sparse.features.tocsr()
    whole = classifier._window_features(counts, None, 0, counts.shape[0])
    expected = classifier._create_X([message])
    assert np.allclose(whole.toarray(), expected.toarray())
