"""Expected messages, exactly as `CollectingDispatcher` records them, and data read from the fiches.

Titles, URLs, cerfa numbers and descriptions come from data/kb/*.json, read here as plain JSON:
the expectations never go through the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

import yaml
from rasa_sdk.events import SlotSet

from assistant.config import PROJECT_ROOT

KB = PROJECT_ROOT / "data" / "kb"
DONT_KNOW = "Je ne sais pas"  # domain: utter_dont_know
NEXT = "La suite"  # domain: utter_button_next


def utter(name: str, buttons: list[dict[str, Any]] | None = None, **kwargs: Any) -> dict[str, Any]:
    """A domain response dispatched with its template variables."""
    return {
        "text": None,
        "buttons": buttons or [],
        "elements": [],
        "custom": {},
        "template": name,
        "response": name,
        "image": None,
        "attachment": None,
        **kwargs,
    }


def custom(payload: dict[str, Any]) -> dict[str, Any]:
    """A structured payload (`json_message`) the channels render."""
    return {
        "text": None,
        "buttons": [],
        "elements": [],
        "custom": payload,
        "template": None,
        "response": None,
        "image": None,
        "attachment": None,
    }


def answer(choice_id: str) -> str:
    return '/answer{"choice_id":"' + choice_id + '"}'


def ask(text: str, choices: list[tuple[str, str]], dont_know: str | None = None) -> dict[str, Any]:
    """utter_ask_question: the question, a button a choice, then "Je ne sais pas" (skip)."""
    buttons = [{"title": label, "payload": answer(cid)} for cid, label in choices]
    if dont_know:
        buttons.append({"title": DONT_KNOW, "payload": answer(dont_know)})
    return utter("utter_ask_question", buttons, question_text=text)


@cache
def situations() -> dict[str, dict[str, Any]]:
    data = json.loads((KB / "situations.json").read_text(encoding="utf-8"))["situations"]
    return {s["id"]: s for s in data}


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    entries = json.loads((KB / "catalogue.json").read_text(encoding="utf-8"))["entries"]
    return {e["id"]: e for e in entries}


@cache
def glossary() -> list[dict[str, Any]]:
    return list(json.loads((KB / "glossary.json").read_text(encoding="utf-8"))["entries"])


def fiche(fiche_id: str) -> dict[str, Any]:
    """A search result: the catalogue entry as the channels show it."""
    e = catalogue()[fiche_id]
    return {
        "fiche_id": e["id"],
        "title": e["title"],
        "explanation": e["description"],
        "url": e["url"],
        "cerfa": e["cerfa"],
        "kind": e["kind"],
    }


def plan_entry(fiche_id: str, deadline: str | None = None) -> dict[str, Any]:
    """One line of the `plan` slot an agent reads."""
    e = catalogue()[fiche_id]
    return {"fiche_id": fiche_id, "title": e["title"], "deadline": deadline, "url": e["url"]}


def related(entries: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The `related` slot: the references ("pour en savoir plus") with the chapter they come from."""
    return [{**reference(fid), "group": group} for fid, group in entries]


def reference(fiche_id: str) -> dict[str, Any]:
    e = catalogue()[fiche_id]
    return {"fiche_id": fiche_id, "title": e["title"], "url": e["url"]}


def plan_view(message: dict[str, Any]) -> dict[str, Any]:
    """The key fields of a dispatched plan payload: which fiches, in which order, on which page."""
    payload = message["custom"]
    assert payload["type"] == "plan" and message["response"] is None, message
    return {
        "situations": payload["situations"],
        "event_date": payload["event_date"],
        "items": [(i["index"], i["fiche_id"], i["deadline"]) for i in payload["items"]],
        "urgent": [i["index"] for i in payload["urgent"]],
        "page": payload["page"],
        "pages": payload["pages"],
        "page_size": payload["page_size"],
        "page_items": [i["index"] for i in payload["page_items"]],
        "buttons": payload.get("buttons"),
    }


def situation_ref(sid: str) -> dict[str, str]:
    """A situation as the plan payload names it."""
    s = situations()[sid]
    return {"id": sid, "title": s["title"], "url": s["url"]}


def question(qid: str) -> dict[str, Any]:
    """A fiche's question, by id (`F14128-q2`)."""
    sid = qid.split("-", 1)[0]
    return next(q for q in situations()[sid]["questions"] if q["id"] == qid)


@cache
def responses() -> dict[str, Any]:
    """domain.yml's responses, read as plain YAML: the wordings written for the fiches' data."""
    data = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return dict(data["responses"])


def said(name: str) -> str:
    return str(responses()[name][0]["text"])


INTRO = "J'ai {} à vous poser{} pour savoir ce qui vous concerne."
# domain: utter_question_intro, utter_question_intro_one, utter_question_intro_range...


def lead(*situation_ids: str, count: int | tuple[int, int] | None = None) -> str:
    """What comes before the first question, in its message: each situation in the bot's words
    (`utter_situation_<id>`), then how many questions (a pair: "3 ou 4 questions")."""
    parts = [said(f"utter_situation_{sid}") for sid in situation_ids]
    if isinstance(count, tuple):
        parts.append(INTRO.format(f"{count[0]} ou {count[1]} questions", ", selon vos réponses,"))
    elif count is not None:
        parts.append(INTRO.format("une question" if count == 1 else f"{count} questions", ""))
    return " ".join(parts)


def wording(qid: str) -> str:
    """The question as the bot asks it: its response in domain.yml (`utter_question_F14128_q2`)."""
    return said("utter_question_" + qid.replace("-", "_"))


def asked(qid: str, before: str = "") -> dict[str, Any]:
    """utter_ask_question for a fiche's question: what leads to it (`lead`), its wording, its
    choices, "Je ne sais pas"."""
    q = question(qid)
    text = wording(qid)
    text = f"{before}\n\n{text}" if before else text
    return ask(text, [(c["id"], c["label"]) for c in q["choices"]], qid + "-skip")


def phrase(choice_id: str) -> str:
    """What the person said, in the fiche's words ("Vous êtes locataire")."""
    q = question(choice_id.rsplit("-c", 1)[0])
    return str(next(c["selected_phrase"] for c in q["choices"] if c["id"] == choice_id))


def summary(
    situation_ids: list[str],
    open_ids: list[str],
    answers: Sequence[str] = (),
    skipped: Sequence[str] = (),
    event_date: str | None = None,
) -> dict[str, Any]:
    """The `summary` slot an agent reads; `answers` are choice ids."""
    return SlotSet(
        "summary",
        {
            "situations": [{"id": sid, "title": situations()[sid]["title"]} for sid in situation_ids],
            "answers": [
                {
                    "question_id": (qid := cid.rsplit("-c", 1)[0]),
                    "question": question(qid)["text"],
                    "choice_id": cid,
                    "answer": phrase(cid),
                }
                for cid in answers
            ],
            "skipped_questions": list(skipped),
            "event_date": event_date,
            "open_questions": [{"id": qid, "text": question(qid)["text"]} for qid in open_ids],
        },
    )
