"""The plan as the channels show it: a structured payload, one page at a time."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.state import DialogueState, response_text, today
from assistant.kb import KnowledgeBase
from assistant.kb.plan_model import Plan, PlanItem

PAGE_SIZE = 15  # démarches in one answer; "la suite" shows the next ones
URGENT_COUNT = 3


def item_payload(index: int, item: PlanItem) -> dict[str, Any]:
    return {
        "index": index,
        "fiche_id": item.fiche_id,
        "title": item.title,
        "explanation": item.explanation,
        "context": item.context,
        "chapter": item.chapter,
        "group": item.group,
        "url": item.url,
        "deadline": item.due_label or (item.timing.phrase if item.timing else None),
        "deadline_phrase": item.timing.phrase if item.timing else None,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "overdue": item.overdue,
        "situation_id": item.situation_id,
    }


def page_count(total: int) -> int:
    """How many pages of PAGE_SIZE démarches a plan of ``total`` takes (one when it is empty)."""
    return max(1, -(-total // PAGE_SIZE))


def grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive items of one chapter under its heading: ``[{"title", "items"}]``."""
    groups: list[dict[str, Any]] = []
    for item in items:
        if not groups or groups[-1]["title"] != item["group"]:
            groups.append({"title": item["group"], "items": []})
        groups[-1]["items"].append(item)
    return groups


def related_payload(plan: Plan) -> list[dict[str, Any]]:
    """The references ("pour en savoir plus"): fiches the plan's fiches point to in explanations."""
    return [{"fiche_id": i.fiche_id, "title": i.title, "url": i.url, "group": i.group} for i in plan.related]


def plan_payload(kb: KnowledgeBase, plan: Plan, page: int) -> dict[str, Any]:
    """Everything a channel needs to show one page of the plan, and to export all of it."""
    items = [item_payload(i, item) for i, item in enumerate(plan.items, start=1)]
    pages = page_count(len(items))
    page = min(max(page, 1), pages)
    page_items = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    dated = sorted((i for i in items if i["due_date"]), key=lambda i: (i["due_date"], i["index"]))
    return {
        "type": "plan",
        "situations": [
            {"id": sid, "title": kb.situations[sid].title, "url": kb.situations[sid].url}
            for sid in plan.situation_ids
        ],
        "event_date": plan.event_date.isoformat() if plan.event_date else None,
        "total": len(items),
        "dated": len(dated),
        "urgent": dated[:URGENT_COUNT],
        "items": items,
        "groups": grouped(items),
        "related": related_payload(plan),
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "page_items": page_items,
        "page_groups": grouped(page_items),
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
    plan = kb.plan(state.situations, state.answers, state.event_date, today())
    payload = plan_payload(kb, plan, page)
    if payload["page"] < payload["pages"]:
        payload["buttons"] = [{"title": response_text(domain, "utter_button_next"), "payload": "/plan_next"}]
    elif payload["related"]:
        payload["buttons"] = [
            {"title": response_text(domain, "utter_button_related"), "payload": "/plan_related"}
        ]
    dispatcher.utter_message(json_message=payload)
    return [
        SlotSet("plan", plan_summary(payload)),
        SlotSet("related", payload["related"]),
        SlotSet("plan_page", float(payload["page"])),
    ]
