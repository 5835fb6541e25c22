"""What reminders did for the conversations of a period: consents, messages sent, démarches done.

A démarche counts once per conversation: "done" when the person answered FAIT to a reminder or
"Oui" to the follow-up; "not_yet" and "help" from the follow-up's other answers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from assistant.stats.cohort import StatsFilter, in_cohort
from assistant.storage.tables import reminder_consents, reminders

ANSWERS = ("done", "not_yet", "help")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def reminder_figures(conn: AsyncConnection, dialect: str, where: StatsFilter) -> dict[str, Any]:
    consent = reminder_consents.c
    offered, granted, withdrawn = (
        await conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.sum(sa.case((consent.granted_at.isnot(None), 1), else_=0)),
                sa.func.sum(sa.case((consent.status == "withdrawn", 1), else_=0)),
            ).select_from(in_cohort(reminder_consents, dialect, where))
        )
    ).one()
    row = reminders.c
    sent = dict(
        (
            await conn.execute(
                sa.select(row.kind, sa.func.count())
                .select_from(in_cohort(reminders, dialect, where))
                .where(row.status == "sent")
                .group_by(row.kind)
            )
        ).all()
    )
    # One answer per démarche, "done" first (min() orders done < help < not_yet).
    per_demarche = (
        sa.select(row.conversation_id, row.fiche_id, sa.func.min(row.answer))
        .select_from(in_cohort(reminders, dialect, where))
        .where(row.answer.isnot(None))
        .group_by(row.conversation_id, row.fiche_id)
    )
    counts = {str(a): 0 for a in ANSWERS}
    for _, _, answer in (await conn.execute(per_demarche)).all():
        counts[str(answer)] = counts.get(str(answer), 0) + 1
    followups = int(sent.get("followup", 0))
    return {
        "offered": int(offered or 0),
        "consented": int(granted or 0),
        "withdrawn": int(withdrawn or 0),
        "consent_rate": _share(int(granted or 0), int(offered or 0)),
        "reminders_sent": int(sent.get("before", 0)),
        "followups_sent": followups,
        "demarches_done": counts["done"],
        "demarches_not_yet": counts["not_yet"],
        "help_requested": counts["help"],
    }
