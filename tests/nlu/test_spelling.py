"""The spelling corrector: which words it replaces, by what, and that the trained model uses it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.french.phonetics import sound
from assistant.nlu.spelling import SpellingCorrector
from tests.french.reference import osa_distance

TRAINING = [
    "je pars à la retraite",
    "ma retraite commence bientôt",
    "départ à la retraite",
    "organiser un événement",
    "un événement associatif",
    "je vais à l'étranger",
    "partir vivre à l'étranger",
    "je cherche un emploi",
    "je cherche du travail",
    "un emploi stable",
    "je suis enceinte",
    "elle est enceinte",
    "le travail",
    "une retrait",  # seen once: known, but never a replacement
]


def tokenized(texts: list[str]) -> list[Message]:
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return messages


@pytest.fixture
def corrector(tmp_path: Path) -> SpellingCorrector:
    """Trained on TRAINING, persisted, then loaded back as Rasa does at prediction time."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("spelling")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = SpellingCorrector.create({}, storage, resource, context)
    training_data = TrainingData(training_examples=tokenized(TRAINING))
    trained.train(training_data)
    assert trained.process_training_data(training_data) is training_data
    return SpellingCorrector.load({}, storage, resource, context)


def tokens_after(corrector: SpellingCorrector, text: str) -> list[tuple[str, str]]:
    [message] = corrector.process(tokenized([text]))
    return [(token.text, token.lemma) for token in message.get(TOKENS_NAMES[TEXT])]


def test_a_misspelt_word_becomes_the_nearest_training_word(corrector: SpellingCorrector) -> None:
    assert tokens_after(corrector, "partir a la retraitte") == [
        ("partir", "partir"),
        ("a", "a"),
        ("la", "la"),
        ("retraite", "retraite"),
    ]
    assert tokens_after(corrector, "un evenemment")[1][0] == "événement"  # accents as in training
    assert tokens_after(corrector, "vivre a l'etrangé")[-1][0] == "étranger"


def test_known_short_and_distant_words_are_left_alone(corrector: SpellingCorrector) -> None:
    assert corrector.correction("RETRAITE") is None  # known, whatever the case
    assert corrector.correction("retrait") is None  # known, though seen once
    assert corrector.correction("pars") is None  # known
    assert corrector.correction("prs") is None  # too short to guess
    assert corrector.correction("restaurant") is None  # no training word near it
    assert corrector.correction("12345") is None  # not a word


def test_one_edit_for_short_words_two_for_long_ones(corrector: SpellingCorrector) -> None:
    assert corrector.correction("emploie") == ("emploi", "emploi")  # 7 letters, 1 edit
    assert corrector.correction("emploiss") == ("emploi", "emploi")  # 8 letters, 2 edits
    assert corrector.correction("emplo") == ("emploi", "emploi")  # 5 letters, 1 edit
    assert corrector.correction("travaillle") == ("travail", "travail")  # 3 edits: found by its sound
    assert corrector.correction("travailleur") is None  # 4 edits, another sound
    assert corrector.correction("travaill") == ("travail", "travail")


def test_a_word_too_far_to_edit_is_found_by_its_sound(corrector: SpellingCorrector) -> None:
    assert corrector.correction("enssainte") == ("enceinte", "enceinte")  # 3 edits, same sound
    assert corrector.correction("ansinte") == ("enceinte", "enceinte")
    assert corrector.correction("ancinto") is None  # sounds otherwise


def test_a_word_seen_once_is_not_a_replacement(corrector: SpellingCorrector) -> None:
    # "retraits" is one edit from "retrait" (seen once) and two from "retraite" (seen three times)
    assert corrector.correction("retraits") == ("retraite", "retraite")


def test_an_untrained_corrector_changes_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = SpellingCorrector.load({}, storage, Resource("never-trained"), context)
    assert tokens_after(loaded, "partir a la retraitte")[-1] == ("retraitte", "retraitte")


def test_the_trained_model_reads_misspelt_words_as_spelt(trained_model: Path) -> None:
    """In the shipped pipeline, a misspelt word (no spaCy vector, unknown to training) gives the
    classifier exactly the features of the well-spelt message: counts and word vectors alike.
    A word spaCy knows is kept, though the training data does not have it."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    agent = Agent.load(str(trained_model))
    assert agent.processor is not None
    schema = agent.processor.model_metadata.predict_schema
    classifier = next(n for n in schema.nodes.values() if issubclass(n.uses, LogisticRegressionClassifier))
    features_node = classifier.needs["messages"]
    pairs = [
        ("je veux creer une assosiation", "je veux creer une association"),
        ("declaration de naissanse", "declaration de naissance"),
        ("je cree mon entreprize", "je cree mon entreprise"),
        ("je veux marcher", "je veux marcher"),  # "marcher" has a vector: not made "marché"
    ]
    messages = [UserMessage(text) for pair in pairs for text in pair]
    parsed = agent.processor.graph_runner.run(inputs={"__message__": messages}, targets=[features_node])
    featurized = parsed[features_node]
    for (typo, spelt), mine, reference in zip(pairs, featurized[::2], featurized[1::2], strict=True):
        assert [t.text for t in mine.get(TOKENS_NAMES[TEXT])] == spelt.split(), typo
        assert len(mine.features) == len(reference.features) == 8  # 4 featurizers x sequence, sentence
        for ours, theirs in zip(mine.features, reference.features, strict=True):
            assert (ours.type, ours.origin) == (theirs.type, theirs.origin)
            a, b = (f.features.toarray() if f.is_sparse() else f.features for f in (ours, theirs))
            assert np.array_equal(a, b), (typo, ours.origin, ours.type)


def test_the_candidates_are_what_comparing_every_word_finds(corrector: SpellingCorrector) -> None:
    """Every one- and two-letter edit of the training words: the corrector's answer is the
    nearest target word by brute force (distance, then frequency, then alphabetical), or else
    the word that sounds the same."""
    words = corrector._words
    targets = [w for w, (_, _, count) in words.items() if count >= 2 and w.isalpha()]
    alphabet = "aeilnrst"
    queries: set[str] = set()
    for word in targets:
        for i in range(len(word) + 1):
            queries |= {word[:i] + ch + word[i:] for ch in alphabet}  # insertions
            queries.add(word[:i] + word[i + 1 :])  # deletions
            queries |= {word[:i] + ch + word[i + 1 :] for ch in alphabet}  # substitutions
            queries |= {word[:i] + ch + ch + word[i:] for ch in alphabet}  # two insertions
    checked = 0
    for query in sorted(queries):
        if query in words or len(query) < 4:
            continue
        limit = 2 if len(query) >= 8 else 1
        scored = [(osa_distance(query, w), -words[w][2], w) for w in targets]
        best = min((s for s in scored if s[0] <= limit), default=None)
        same_sound = corrector._sounds.get(sound(query))  # the fallback
        match = best[2] if best is not None else same_sound
        expected = None if match is None else words[match][:2]
        assert corrector.correction(query) == expected, query
        checked += 1
    assert checked > 500
