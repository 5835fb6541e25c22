"""The complaint form's first slot: which document, from a cerfa number, a title, or a kind of message."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from tests.actions.expect import catalogue, utter
from tests.actions.forms import ID_CARD, TRIGGER, asking, reporting, validate
from tests.actions.history import active_loop, button, fallback, session, turn, user


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


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("la lettre de la CAF du 3 mars", "letter"),
        ("une notification sur mon téléphone", "letter"),
        ("un mail de France Travail", "email"),
        ("l'appli zorglub", "website"),
        ("un truc zorglub", "document"),
    ],
)
async def test_documents_outside_the_catalogue(typed: str, kind: str, domain: dict[str, Any]) -> None:
    history = [*reporting("complaint_document"), user(typed, "nlu_fallback", [("nlu_fallback", 0.45)])]
    document = {"label": typed, "kind": kind, "fiche_id": None, "cerfa": None, "organisation": None}
    # No organisation known: the form's own order applies, no requested_slot from the action.
    assert await validate(history, domain) == ([SlotSet("complaint_document", document)], [])


RSA = "le formulaire de demande de RSA"
RSA_BUTTONS = [
    {"title": "Revenu de solidarité active (RSA)", "payload": '/choose_document{"fiche_id":"N19775"}'},
    {
        "title": "Demande de RSA : le train de vie peut-il être pris en compte ?",
        "payload": '/choose_document{"fiche_id":"F1723"}',
    },
    {"title": "Un étudiant a-t-il droit au RSA ?", "payload": '/choose_document{"fiche_id":"F1971"}'},
    {"title": "Autre chose", "payload": '/choose_document{"fiche_id":"none"}'},
]


async def test_an_ambiguous_title_asks_which_document(domain: dict[str, Any]) -> None:
    history = [*reporting("complaint_document"), user(RSA, "ask_demarche")]
    events, messages = await validate(history, domain)
    assert messages == [utter("utter_complaint_which_document", RSA_BUTTONS)]
    assert events == []  # nothing chosen yet: "Autre chose" reads the typed title back from the history


async def test_none_of_these_keeps_the_typed_title(domain: dict[str, Any]) -> None:
    typed = user(RSA, "ask_demarche")
    events, _ = await validate([*reporting("complaint_document"), typed], domain)
    answered = turn(typed, "complaint_form", *events, *asking("complaint_document"))
    history = [*reporting("complaint_document"), *answered, button(RSA_BUTTONS[-1]["payload"])]
    document = {"label": RSA, "kind": "document", "fiche_id": None, "cerfa": None, "organisation": None}
    assert await validate(history, domain) == ([SlotSet("complaint_document", document)], [])


async def test_a_document_chosen_by_button(domain: dict[str, Any]) -> None:
    history = [
        *reporting("complaint_document"),
        button(RSA_BUTTONS[0]["payload"]),
    ]
    rsa = {
        "label": "Revenu de solidarité active (RSA)",
        "kind": "notice",
        "fiche_id": "N19775",
        "cerfa": "15481*01",
        "organisation": None,
    }
    assert await validate(history, domain) == ([SlotSet("complaint_document", rsa)], [])


@pytest.mark.parametrize(("previous", "label"), [(RSA, RSA), ("/affirm", "Document")])
async def test_none_of_these_takes_the_title_typed_before(
    previous: str, label: str, domain: dict[str, Any]
) -> None:
    before = button(previous) if previous.startswith("/") else user(previous, "ask_demarche")
    history = [
        *reporting("complaint_document"),
        *turn(before, "complaint_form", *asking("complaint_document")),
        button(RSA_BUTTONS[-1]["payload"]),
    ]
    document = {"label": label, "kind": "document", "fiche_id": None, "cerfa": None, "organisation": None}
    assert await validate(history, domain) == ([SlotSet("complaint_document", document)], [])


async def test_a_button_without_a_document_fills_nothing(domain: dict[str, Any]) -> None:
    assert await validate([*reporting("complaint_document"), button("/affirm")], domain) == ([], [])
