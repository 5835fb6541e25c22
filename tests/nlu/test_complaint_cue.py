"""The complaint cue: a document named and said to be hard, without a question."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.complaint_cue import ComplaintCue, complaint_cue


@pytest.mark.parametrize(
    "text",
    [
        "le site de l'ants pour la carte grise c'est l'enfer",
        "12485 medecin traitant pas clair",
        "les papiers pour la bourse du collège de ma fille c trop long",
        "la déclaration de revenus, la 2042, c'est imbuvable",
        "un mail des impôts sur le prélèvement à la source, j'y comprends rien",
        "le dossier de la CAF, 30 pages à remplir",
        "bonjour je voudrais signaler un truc pas clair",
    ],
)
def test_a_hard_document_is_a_complaint(text: str) -> None:
    assert complaint_cue(text)


@pytest.mark.parametrize(
    "text",
    [
        "comment remplir le formulaire de demande de RSA ? je comprends rien",  # asks for help
        "où trouver le formulaire de procuration",
        "c'est trop compliqué pour moi",  # no document named
        "je déménage le mois prochain, c'est trop long les cartons",
        "j'ai perdu ma carte d'identité",
        "le site de la caf",  # a document, nothing hard
        "je voudrais signaler un changement d'adresse",
    ],
)
def test_no_complaint_without_both_signals_or_with_a_question(text: str) -> None:
    assert not complaint_cue(text)


def message(text: str, intent: str, confidence: float) -> Message:
    ranked = {"name": intent, "confidence": confidence}
    return Message(
        data={TEXT: text, INTENT: ranked, INTENT_RANKING_KEY: [ranked, {"name": "greet", "confidence": 0.1}]}
    )


def test_the_cue_ranks_the_complaint_first_and_keeps_leaving_intents() -> None:
    cue = ComplaintCue()
    [complaint] = cue.process([message("le dossier mdph c'est une horreur", "ask_demarche", 0.6)])
    assert complaint.get(INTENT) == {"name": "complain_document", "confidence": 0.9}
    assert [r["name"] for r in complaint.get(INTENT_RANKING_KEY)] == [
        "complain_document",
        "ask_demarche",
        "greet",
    ]
    [human] = cue.process(
        [message("le dossier mdph c'est une horreur, je veux un conseiller", "ask_human", 0.8)]
    )
    assert human.get(INTENT)["name"] == "ask_human"
    [other] = cue.process([message("je déménage", "situation_F14128", 0.9)])
    assert other.get(INTENT)["name"] == "situation_F14128"
