"""How a plan reads: dated, grouped as the fiche groups it, past deadlines said as such.

* Each item gets its due date and a French label from its deadline and the event date; a date
  already past reads "à faire dès que possible, le délai était le 4 décembre 2026", never as a
  future date.
* Items are grouped by the chapter of the fiche they come from ("Dans les 24 heures : constat et
  déclaration du décès"), keeping the fiche's order inside a group. Groups come most urgent first by
  their timing heading ("Dans les 24 heures" before "Dans les 6 jours"); chapters without one keep the
  fiche's order, after those that have one. The items' numbering follows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.kb.plan_model import PlanItem
from assistant.kb.relations import feminine
from assistant.kb.timing import Deadline, describe, due_date, french_date, urgency_key

OTHER_GROUP = "Autres démarches"


def dated(item: PlanItem, event_date: date | None, today: date | None) -> PlanItem:
    """The item with its due date and label; marked overdue when the date is before ``today``."""
    if item.timing is None or event_date is None:
        return item
    due = due_date(item.timing, event_date)
    label = describe(item.timing, event_date)
    overdue = due is not None and today is not None and due < today and item.timing.kind != "period"
    nearer = _nearer_end(item.timing, event_date) if overdue else None
    if nearer is not None and today is not None and nearer >= today:
        # "pouvant aller de 1 à 3 mois avant": the longest delay has passed, the shortest not yet
        label = (
            f"dès que possible, au plus tard le {french_date(nearer)} : {_range(item.timing)} selon votre cas"
        )
        return replace(item, due_date=nearer, due_label=label, overdue=False)
    if overdue and due is not None:
        # no brackets: the channels put the label in brackets after the title
        label = f"à faire dès que possible, le délai était le {french_date(due)}"
    return replace(item, due_date=due, due_label=label, overdue=overdue)


_UNIT_WORDS = {
    "hour": "heures", "day": "jours", "working_day": "jours", "business_day": "jours", "week": "semaines",
    "month": "mois", "year": "ans",
}  # fmt: skip


def _nearer_end(timing: Deadline, event_date: date) -> date | None:
    return due_date(replace(timing, amount=timing.least), event_date) if timing.least is not None else None


def _range(timing: Deadline) -> str:
    unit = _UNIT_WORDS.get(timing.unit or "", timing.unit or "")
    return f"le délai va de {timing.least} à {timing.amount} {unit}"


def arrange(items: list[PlanItem], event_date: date | None, today: date | None) -> list[PlanItem]:
    """``items`` (in the fiches' order) dated, then grouped by chapter, most urgent group first."""
    groups: dict[tuple[str, str], list[PlanItem]] = {}
    for item in items:
        groups.setdefault((item.situation_id, item.group or OTHER_GROUP), []).append(
            dated(item, event_date, today)
        )
    situations = list(dict.fromkeys(item.situation_id for item in items))
    position = {key: index for index, key in enumerate(groups)}

    def urgency(key: tuple[str, str]) -> tuple[tuple[int, int, int], int, int]:
        heading = groups[key][0].group_timing  # chapters without a timing heading keep the fiche's order
        return urgency_key(heading), situations.index(key[0]), position[key]

    return [item for key in sorted(groups, key=urgency) for item in groups[key]]


def feminine_item(item: PlanItem) -> PlanItem:
    """The item's labels about the deceased in the feminine."""
    return replace(
        item,
        chapter=feminine(item.chapter) if item.chapter else None,
        group=feminine(item.group) if item.group else None,
        path=[feminine(step) for step in item.path],
        context=feminine(item.context),
    )
