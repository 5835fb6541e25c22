"""The complaint form's first slot: which document, from a cerfa number, a title, or a kind of message."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from tests.actions.expect import catalogue
from tests.actions.forms import ID_CARD, TRIGGER, reporting, validate
from tests.actions.history import active_loop, button, fallback, session, user


async def test_a_cerfa_in_the_first_message_names_the_document(domain: dict[str, Any]) -> None:
    history = [
        *session(),
        user("le cerfa 13750 est incompréhensible", "complain_document"),
        active_loop("complaint_form"),
    ]
    form = {
        "label": "Formulaire 13750*07 : Demande de certificat d'immatriculation d'un véhicule",
        "kind": "form",
        "fiche_id": "R13567",
        "cerfa": "13750*07",
        "organisation": "Ministère chargé de l'intérieur",
    }
    assert catalogue()["R13567"]["title"] == form["label"]
    events, messages = await validate(history, domain)
    # The fiche names the organisation: the form does not ask for it.
    assert events == [SlotSet("complaint_document", form), SlotSet("requested_slot", "complaint_categories")]
    assert messages == []


async def test_a_first_message_naming_nothing_fills_nothing(domain: dict[str, Any]) -> None:
    assert await validate([*session(), TRIGGER, active_loop("complaint_form")], domain) == ([], [])


@pytest.mark.parametrize(
    "typed", ["12100*02", "cerfa 12100", "n°12100", "le formulaire CERFA n° 12100 est illisible"]
)
async def test_a_cerfa_typed_several_ways(typed: str, domain: dict[str, Any]) -> None:
    history = [*reporting("complaint_document"), fallback(typed, [("complain_document", 0.3)])]
    events, messages = await validate(history, domain)
    assert events == [
        SlotSet("complaint_document", ID_CARD),
        SlotSet("requested_slot", "complaint_categories"),
    ]
    assert messages == []


async def test_the_report_names_the_cerfa_the_person_gave(domain: dict[str, Any]) -> None:
    # Only F345 carries 12323, as its second number (its first is 11423).
    history = [*reporting("complaint_document"), fallback("le cerfa 12323", [("complain_document", 0.3)])]
    events, _ = await validate(history, domain)
    cmg = {
        "label": "Complément de libre choix du mode de garde (CMG) - Assistante maternelle",
        "kind": "notice",
        "fiche_id": "F345",
        "cerfa": "12323",
        "organisation": "Caisse d'allocations familiales (Caf)",
    }
    assert events == [SlotSet("complaint_document", cmg), SlotSet("requested_slot", "complaint_categories")]


CAF = "Caisse d'allocations familiales (Caf)"
TAXES = "Impôts (DGFiP)"


@pytest.mark.parametrize(
    ("typed", "label", "kind", "sender"),
    [
        ("la lettre de la CAF du 3 mars", "la lettre de la CAF du 3 mars", "letter", CAF),
        ("une notification sur mon téléphone", "une notification sur mon téléphone", "letter", None),
        (
            "un mail de France Travail",
            "un mail de France Travail",
            "email",
            "France Travail (ex-Pôle emploi)",
        ),
        ("ce courrier des impôts, j'y comprends rien", "ce courrier des impôts", "letter", TAXES),
        ("un courrier du syndic Dupont", "un courrier du syndic Dupont", "letter", "syndic dupont"),
        ("l'appli zorglub", "l'appli zorglub", "website", None),
        ("un truc zorglub", "un truc zorglub", "document", None),
    ],
)
async def test_documents_outside_the_catalogue(
    typed: str, label: str, kind: str, sender: str | None, domain: dict[str, Any]
) -> None:
    history = [*reporting("complaint_document"), user(typed, "nlu_fallback", [("nlu_fallback", 0.45)])]
    document = {"label": label, "kind": kind, "fiche_id": None, "cerfa": None, "organisation": sender}
    events, messages = await validate(history, domain)
    assert events[0] == SlotSet("complaint_document", document) and messages == []
    # A sender named: the form does not ask who sent it.
    expected_next = "complaint_categories" if sender else None
    assert events[1:] == ([SlotSet("requested_slot", expected_next)] if expected_next else [])


async def test_a_title_the_catalogue_knows_names_its_fiche(domain: dict[str, Any]) -> None:
    history = [
        *reporting("complaint_document"),
        user("le dossier de demande de logement social", "ask_demarche"),
    ]
    events, messages = await validate(history, domain)
    assert messages == []  # no list of candidates to choose from: one question at a time
    document = events[0]["value"]
    # The form itself, not the fiche that explains it: the person speaks of a "dossier".
    assert document["fiche_id"] == "R149" and document["cerfa"].startswith("14069")
    assert document["label"] == catalogue()["R149"]["title"] and document["kind"] == "form"


async def test_a_title_shared_by_several_fiches_is_kept_as_typed(domain: dict[str, Any]) -> None:
    typed = "la notice pour les aides"
    history = [*reporting("complaint_document"), user(typed, "ask_demarche")]
    events, messages = await validate(history, domain)
    assert messages == []
    assert events[0] == SlotSet(
        "complaint_document",
        {"label": typed, "kind": "notice", "fiche_id": None, "cerfa": None, "organisation": None},
    )


@pytest.mark.parametrize(
    ("first", "label", "sender"),
    [
        ("la lettre que j'ai reçue de la CAF est illisible", "la lettre", CAF),
        ("j'ai reçu un courrier des impots je comprends rien", "un courrier des impots", TAXES),
    ],
)
async def test_a_letter_in_the_first_message_is_not_asked_again(
    first: str, label: str, sender: str, domain: dict[str, Any]
) -> None:
    history = [*session(), user(first, "complain_document"), active_loop("complaint_form")]
    events, messages = await validate(history, domain)
    document = {"label": label, "kind": "letter", "fiche_id": None, "cerfa": None, "organisation": sender}
    assert events == [
        SlotSet("complaint_document", document),
        SlotSet("requested_slot", "complaint_categories"),
    ]
    assert messages == []


@pytest.mark.parametrize(("intent", "confidence"), [("ask_human", 0.9), ("cancel", 0.8), ("start_over", 0.7)])
async def test_a_request_to_leave_is_not_taken_for_the_document(
    intent: str, confidence: float, domain: dict[str, Any]
) -> None:
    history = [*reporting("complaint_document"), user("je veux arrêter", intent, [(intent, confidence)])]
    assert await validate(history, domain) == ([], [])  # the form is rejected: the intent's rule runs


async def test_a_button_without_a_document_fills_nothing(domain: dict[str, Any]) -> None:
    assert await validate([*reporting("complaint_document"), button("/affirm")], domain) == ([], [])


async def test_a_form_named_by_its_purpose_when_the_close_fiches_agree_on_its_cerfa(
    domain: dict[str, Any],
) -> None:
    # "s'inscrire sur les listes électorales" scores four fiches within a quarter of each other;
    # three of them are about cerfa 12669: its form (R16024) is the document
    typed = "le formulaire pour s'inscrire sur les listes electorales"
    history = [*reporting("complaint_document"), fallback(typed, [("complain_document", 0.3)])]
    events, _ = await validate(history, domain)
    document = events[0]["value"]
    assert (document["fiche_id"], document["cerfa"], document["kind"]) == ("R16024", "12669*02", "form")
    # without a form word, close fiches stay unresolved: the person's own words are kept
    typed = "celui pour declarer qu'on a perdu sa carte grise"
    history = [*reporting("complaint_document"), fallback(typed, [("complain_document", 0.3)])]
    events, _ = await validate(history, domain)
    assert events[0]["value"]["fiche_id"] is None and events[0]["value"]["label"] == typed


async def test_a_first_message_naming_only_a_difficulty_asks_for_the_document(domain: dict[str, Any]) -> None:
    # "un truc pas clair": "pas clair" is the complaint, "un truc" names nothing
    history = [
        *session(),
        user("bonjour je voudrais signaler un truc pas clair", "complain_document"),
        active_loop("complaint_form"),
    ]
    assert await validate(history, domain) == ([], [])
