"""The personal plan: a structured payload the channels render, its pages and its details."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.kb import get_kb
from actions.state import DialogueState, response_text, typed_text
from assistant.french.folding import fold
from assistant.french.numbers import parse_ordinal, read_number
from assistant.kb import KnowledgeBase
from assistant.kb.rules import Plan, PlanItem

PAGE_SIZE = 5
URGENT_COUNT = 3


def item_payload(index: int, item: PlanItem) -> dict[str, Any]:
    return {
        "index": index,
        "fiche_id": item.fiche_id,
        "title": item.title,
        "explanation": item.explanation,
        "context": item.context,
        "chapter": item.chapter,
        "url": item.url,
        "deadline": item.due_label or (item.timing.phrase if item.timing else None),
        "deadline_phrase": item.timing.phrase if item.timing else None,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "situation_id": item.situation_id,
    }


def plan_payload(kb: KnowledgeBase, plan: Plan, page: int) -> dict[str, Any]:
    """Everything a channel needs to show one page of the plan, and to export all of it."""
    items = [item_payload(i, item) for i, item in enumerate(plan.items, start=1)]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return {
        "type": "plan",
        "situations": [
            {"id": sid, "title": kb.situations[sid].title, "url": kb.situations[sid].url}
            for sid in plan.situation_ids
        ],
        "event_date": plan.event_date.isoformat() if plan.event_date else None,
        "total": len(items),
        "urgent": [i for i in items if i["deadline"]][:URGENT_COUNT],
        "items": items,
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "page_items": items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
    }


def plan_summary(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The slot an agent reads: fiche ids, titles, deadlines, links."""
    return [
        {"fiche_id": i["fiche_id"], "title": i["title"], "deadline": i["deadline"], "url": i["url"]}
        for i in payload["items"]
    ]


def show_plan(
    dispatcher: CollectingDispatcher,
    kb: KnowledgeBase,
    state: DialogueState,
    page: int,
    domain: dict[str, Any],
) -> list[EventType]:
    plan = kb.plan(state.situations, state.answers, state.event_date)
    payload = plan_payload(kb, plan, page)
    if payload["page"] < payload["pages"]:
        payload["buttons"] = [{"title": response_text(domain, "utter_button_next"), "payload": "/plan_next"}]
    dispatcher.utter_message(json_message=payload)
    return [SlotSet("plan", plan_summary(payload)), SlotSet("plan_page", float(payload["page"]))]


def item_number(text: str) -> int | None:
    """`plus de détails sur la 3` → 3; `la troisième` → 3; `la vingt-et-unième` → 21; `la cinq` → 5.

    An ordinal wins over a number in words ("une explication sur la deuxième" → 2); "un"/"une" is
    the number one only after "le", "la", "numéro" or alone ("la une"), an article otherwise.
    """
    folded = fold(text)
    digits = re.search(r"\b(\d{1,3})\s*(?:e|eme|er|ere)?\b", folded)
    if digits:
        return int(digits.group(1))
    words = re.findall(r"[a-z]+", folded)
    cardinals: list[int] = []
    start = 0
    while start < len(words):
        found = read_number(words, start, ordinals=True)
        if found is None:
            start += 1
            continue
        value, end = found
        if parse_ordinal(" ".join(words[start:end])) is not None:
            return value
        article = words[start : start + 1] in (["un"], ["une"]) and end == start + 1
        if not article or len(words) == 1 or words[start - 1 : start] in (["le"], ["la"], ["numero"]):
            cardinals.append(value)
        start = end
    return cardinals[0] if cardinals else None


def current_plan(dispatcher: CollectingDispatcher, tracker: Tracker) -> tuple[DialogueState, Plan] | None:
    """The person's plan as it stands, or None (and a message) when there is no situation yet."""
    state = DialogueState.from_tracker(tracker)
    if not state.situations:
        dispatcher.utter_message(response="utter_no_plan")
        return None
    return state, get_kb().plan(state.situations, state.answers, state.event_date)


class ActionPlanNext(Action):
    def name(self) -> str:
        return "action_plan_next"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = current_plan(dispatcher, tracker)
        if current is None:
            return []
        state, plan = current
        if state.plan_page >= max(1, -(-len(plan.items) // PAGE_SIZE)):
            dispatcher.utter_message(response="utter_plan_end")
            return []
        return show_plan(dispatcher, get_kb(), state, state.plan_page + 1, domain)


class ActionPlanDetails(Action):
    def name(self) -> str:
        return "action_plan_details"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = current_plan(dispatcher, tracker)
        if current is None:
            return []
        _, plan = current
        number = item_number(typed_text(tracker))
        if number is None or not 1 <= number <= len(plan.items):
            dispatcher.utter_message(response="utter_plan_item_unknown", count=len(plan.items))
            return []
        item = item_payload(number, plan.items[number - 1])
        dispatcher.utter_message(json_message={"type": "plan_item", "item": item})
        return []
