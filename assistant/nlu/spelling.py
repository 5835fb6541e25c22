"""A Rasa NLU component that corrects misspelt words before the count featurizers see them.

People write "retraitte", "evenemment", "attantat". The character n-grams see part of such a word;
the counts of words and lemmas see nothing at all, since the word never occurred in training. This
component learns the words of the training data and, when a message holds a word that is neither
one of them nor a word spaCy knows (a word with a vector), replaces it by the nearest training
word: at most one edit away for a short word, two for a word of eight letters or more, ties
broken by frequency; failing that, by the most frequent training word that sounds the same
("enssainte" -> "enceinte", see :mod:`assistant.french.phonetics`). Letters are compared lowercased
and without accents; the candidates come from :mod:`assistant.french.edits`.

It sits after the tokenizer and before the featurizers: it rewrites the token's text and lemma,
and gives the spaCy token the vector of its replacement. Training messages are not changed.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.french.edits import Vocabulary
from assistant.french.folding import fold
from assistant.french.phonetics import sound

VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SpellingCorrector(GraphComponent):  # type: ignore[misc]
    """Replaces unknown, misspelt words by the nearest word of the training data."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "min_length": 4,  # shorter words are left alone ("vé", "pr", "ds")
            "long_word": 8,  # from this length on, two edits are allowed instead of one
            "min_count": 2,  # a training word seen once may itself be a typo: not a target
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        words: dict[str, tuple[str, str, int]] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        # folded word -> (text, lemma, count), as most often seen in training
        self._words = words or {}
        self._targets = self._target_vocabulary()
        self._sounds = self._sound_index()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpellingCorrector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SpellingCorrector:
        try:
            with model_storage.read_from(resource) as directory:
                stored = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            stored = {}  # not trained (no NLU data): corrects nothing
        words = {folded: (text, lemma, count) for folded, (text, lemma, count) in stored.items()}
        return cls(config, model_storage, resource, words)

    def _target_vocabulary(self) -> Vocabulary:
        """The words a misspelt word may become: seen min_count times or more, letters only."""
        return Vocabulary(
            {
                folded: count
                for folded, (_, _, count) in self._words.items()
                if count >= self._config["min_count"] and folded.isalpha()
            }
        )

    def _sound_index(self) -> dict[str, str]:
        """Sound key -> the most frequent target word with that sound."""
        best: dict[str, tuple[int, str]] = {}
        for folded, count in self._targets.counts.items():
            key = sound(folded)
            if len(key) >= self._config["min_length"] and (-count, folded) < best.get(key, (1, "")):
                best[key] = (-count, folded)
        return {key: folded for key, (_, folded) in best.items()}

    def train(self, training_data: TrainingData) -> Resource:
        forms: dict[str, Counter[tuple[str, str]]] = {}
        for message in training_data.training_examples:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                lemma = token.lemma or token.text
                forms.setdefault(fold(token.text), Counter())[(token.text.lower(), lemma)] += 1
        self._words = {
            folded: (*counts.most_common(1)[0][0], sum(counts.values())) for folded, counts in forms.items()
        }
        self._targets = self._target_vocabulary()
        self._sounds = self._sound_index()
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(self._words, ensure_ascii=False, sort_keys=True), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            corrected: dict[int, str] = {}  # start offset -> replacement
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                if doc is not None and doc.vocab.has_vector(token.text):
                    continue  # a word spaCy knows, though our training data does not
                replacement = self.correction(token.text)
                if replacement is not None:
                    token.text, token.lemma = replacement
                    corrected[token.start] = token.text
            if doc is not None and corrected:
                _replace_vectors(doc, corrected)
        return messages

    def correction(self, word: str) -> tuple[str, str] | None:
        """(text, lemma) of the training word that replaces word, or None to keep it."""
        folded = fold(word)
        if folded in self._words or len(folded) < self._config["min_length"] or not folded.isalpha():
            return None
        limit = 2 if len(folded) >= self._config["long_word"] else 1
        candidates = self._targets.candidates(folded, limit)
        match = candidates[0].word if candidates else self._sounds.get(sound(folded))
        if match is None:
            return None
        text, lemma, _ = self._words[match]
        return text, lemma


def _replace_vectors(doc: Any, corrected: dict[int, str]) -> None:
    """Give the corrected tokens of a spaCy document the vector of their replacement: the
    SpacyFeaturizer then reads "naissanse" as "naissance" too (a word without a vector is
    otherwise left out of the message's mean vector)."""
    vectors = {token.i: doc.vocab.get_vector(corrected[token.idx]) for token in doc if token.idx in corrected}

    def vector(token: Any) -> Any:
        return vectors[token.i] if token.i in vectors else token.vocab.get_vector(token.orth)

    doc.user_token_hooks["vector"] = vector
