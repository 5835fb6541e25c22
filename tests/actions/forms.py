"""The complaint form's conversations, and ValidateComplaintForm run as Rasa runs it.

`FormValidationAction.run` calls `required_slots`, every `extract_*`, keeps the extracted slots
the form requires and, when `required_slots` changed the domain's list, names the next slot.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from actions.complaint_form import ValidateComplaintForm
from tests.actions.history import Event, action, active_loop, bot, run_async, session, slot, turn, user

ORDER = [
    "complaint_document",
    "complaint_organisation",
    "complaint_categories",
    "complaint_categories_done",
    "complaint_description",
    "complaint_suggestion",
    "complaint_consent",
    "complaint_contact",
]
ASK = {
    "complaint_categories": "action_ask_complaint_categories",
    "complaint_categories_done": "action_ask_complaint_categories_done",
}
TRIGGER = user("je veux signaler un document trop compliqué", "complain_document")
LETTER = {
    "label": "la lettre de la CAF",
    "kind": "letter",
    "fiche_id": None,
    "cerfa": None,
    "organisation": None,
}
ANTS = "Agence nationale des titres sécurisés (ANTS)"
ID_CARD = {
    "label": "Téléservice : Pré-demande de carte d'identité",
    "kind": "website",
    "fiche_id": "R45668",
    "cerfa": "12100*02",
    "organisation": ANTS,
}
FILLED = {
    "complaint_document": LETTER,
    "complaint_organisation": "la CAF",
    "complaint_categories": ["jargon"],
    "complaint_categories_done": True,
    "complaint_description": "je ne comprends pas",
    "complaint_suggestion": "",
}


def asking(name: str) -> list[Event]:
    """The form asks for `name`: requested_slot, then the ask action and what it said."""
    ask = ASK.get(name, f"utter_ask_{name}")
    return [slot("requested_slot", name), action(ask), bot(ask if ask.startswith("utter") else None)]


def reporting(requested: str, **filled: Any) -> list[Event]:
    """A report under way: triggered, `filled` answered one a turn, then `requested` asked."""
    names = [*filled, requested]
    history = [*session(), *turn(TRIGGER, "complaint_form", active_loop("complaint_form"), *asking(names[0]))]
    for name, following in pairwise(names):
        history += turn(
            user("…", "nlu_fallback"), "complaint_form", slot(name, filled[name]), *asking(following)
        )
    return history


async def validate(history: list[Event], domain: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return await run_async(ValidateComplaintForm(), history, domain)
