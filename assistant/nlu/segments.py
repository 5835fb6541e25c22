"""The intent classifier, also run on the stretches of a message: several situations in one message.

"je suis enceinte de 4 mois, on cherche déjà une crèche" names two life situations; the
classifier, given the whole message, ranks one of them first and the other far below, because a
single-label model spreads one probability mass over the intents. This component is Rasa's
`LogisticRegressionClassifier` plus one step: it also scores windows of consecutive words
(`window` tokens, every `stride` tokens) and writes, for each window, its best intents in the
message's `segments` output. The router (`assistant.understanding`) reads them: a situation that
wins a window with high confidence is named in the message even when the whole ranks it low. No
list of joining words is involved: the windows slide over the message whatever links its parts.

A window's features are built from the message's own token features, with no second pass through
the pipeline: the sparse counts of its tokens summed (for the word and character counts that is
exactly what the whole-message vector holds for those words; the lemma pairs astride two tokens
are left out) and the mean of its tokens' non-zero word vectors, as `SpacyFeaturizer` pools them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack

SEGMENTS = "segments"


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token spans [start, end) covering a message of `n_tokens`; none for a short message."""
    if n_tokens <= size:
        return []
    starts = list(range(0, n_tokens - size + 1, stride))
    if starts[-1] + size < n_tokens:
        starts.append(n_tokens - size)
    return [(s, s + size) for s in starts]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SegmentingClassifier(LogisticRegressionClassifier):  # type: ignore[misc]
    """`LogisticRegressionClassifier` that also ranks the intents of each window of the message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "window": 6,  # tokens per window
            "stride": 3,  # tokens between the starts of two windows
            "window_ranking": 3,  # intents kept per window
        }

    def process(self, messages: list[Message]) -> list[Message]:
        messages = super().process(messages)
        for message in messages:
            message.set(SEGMENTS, self._segments(message), add_to_output=True)
        return messages

    def _segments(self, message: Message) -> list[dict[str, Any]]:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        spans = windows(len(tokens), int(self.config["window"]), int(self.config["stride"]))
        sparse, _ = message.get_sparse_features(TEXT)
        dense, _ = message.get_dense_features(TEXT)
        if not spans or sparse is None or sparse.features.shape[0] != len(tokens):
            return []
        counts = csr_matrix(sparse.features)
        vectors = np.asarray(dense.features) if dense is not None else None
        rows = [self._window_features(counts, vectors, start, end) for start, end in spans]
        probas = self.clf.predict_proba(vstack(rows))
        text = message.get(TEXT) or ""
        keep = int(self.config["window_ranking"])
        segments = []
        for (start, end), row in zip(spans, probas, strict=True):
            best = np.argsort(-row)[:keep]
            segments.append(
                {
                    "text": text[tokens[start].start : tokens[end - 1].end],
                    "ranking": [
                        {"name": str(self.clf.classes_[i]), "confidence": float(row[i])} for i in best
                    ],
                }
            )
        return segments

    @staticmethod
    def _window_features(counts: csr_matrix, vectors: Any, start: int, end: int) -> csr_matrix:
        summed = csr_matrix(counts[start:end].sum(axis=0))
        if vectors is None:
            return summed
        part = vectors[start:end]
        non_zero = part[np.any(part != 0, axis=1)]
        pooled = non_zero.mean(axis=0, keepdims=True) if len(non_zero) else np.zeros((1, part.shape[1]))
        return hstack([summed, csr_matrix(pooled)]).tocsr()
