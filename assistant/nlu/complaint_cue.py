"""A complaint about a document, told by its words: a document named, and how hard it is.

"le site de l'ants pour la carte grise c'est l'enfer", "12485 medecin traitant pas clair", "les
papiers pour la bourse du college de ma fille c trop long": the intent classifier, trained on
complaints that say "signaler" or "trop compliqué", reads these as questions about a démarche
(their words are the démarche's) and the report never starts. Two plain signals say otherwise: the
message names a document (a form, a file, a letter, a site, a cerfa number) and says it is hard
(illisible, pas clair, trop long, l'enfer, je comprends rien). A question ("comment remplir le
formulaire ?") is a request for help, not a complaint, and is left to the classifier.

`ComplaintCue` runs after the classifier and, when both signals hold and the message asks nothing,
ranks `complain_document` first (0.9, the other intents sharing the rest, so that the fallback's
ambiguity test does not fire). Requests to leave, to stop or for a human keep their intent.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from assistant.french.folding import fold

COMPLAINT = "complain_document"
CONFIDENCE = 0.9
LEAVING = frozenset({"ask_human", "cancel", "stop", "start_over", "goodbye"})  # these keep their intent

_DOCUMENT = re.compile(
    r"\b(?:formulaires?|cerfa|dossiers?|papiers?|paperasse|imprimes?|courriers?|lettres?|mails?|e-mails?|"
    r"sites?|notices?|documents?|declarations?|attestations?|convocations?|avis|appli|application)\b|"
    r"\b\d{4,5}\b|\b(?:signaler|me plaindre|faire une reclamation)\b"  # or the report itself is asked for
)
_HARD = re.compile(
    r"\b(?:illisibles?|incomprehensibles?|imbuvables?|indigestes?|compliquee?s?|trop (?:long|longs|longue|"
    r"complique|compliquee|dur|difficile|de pages|de questions)|c trop|pas clairs?|pas claire?s?|l'enfer|"
    r"une horreur|une galere|galere|n'importe quoi|mal fait|mal ecrit|"
    r"(?:je |j'|on )(?:n'y |n'|y )?(?:comprends?|comprend) (?:rien|pas)|j'?(?:y )?ai rien compris|"
    r"on s'y perd|je m'y perds|je m'en sors pas|j'y arrive pas|impossible de|"
    r"trop de (?:papiers|trucs|pages|questions|documents|pieces)|\d+ pages|"
    r"ecrit (?:en )?(?:tout |trop )?petit)\b"
)
_QUESTION = re.compile(r"\?|\b(?:comment|ou est|ou trouver|ou faut|quel|quelle|quels|quelles|est-ce qu)\b")


def complaint_cue(text: str) -> bool:
    """Whether the message complains about a document it names, without asking anything."""
    folded = fold(text)
    return bool(_DOCUMENT.search(folded) and _HARD.search(folded) and not _QUESTION.search(folded))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ComplaintCue(GraphComponent):  # type: ignore[misc]
    """Ranks `complain_document` first when the message complains about a document it names."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ComplaintCue:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) in LEAVING or not complaint_cue(message.get(TEXT) or ""):
                continue
            others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != COMPLAINT]
            # the other intents share what is left, in their order, so that none comes close
            total = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in others) or 1.0
            share = (1.0 - CONFIDENCE) / total
            ranked = [
                {**r, PREDICTED_CONFIDENCE_KEY: float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) * share}
                for r in others
            ]
            first = {INTENT_NAME_KEY: COMPLAINT, PREDICTED_CONFIDENCE_KEY: CONFIDENCE}
            message.set(INTENT, first, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [first, *ranked], add_to_output=True)
        return messages
