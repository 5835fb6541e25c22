"""Feedback records: stored masked, referenced `DOC-<year>-<number>`, filtered, counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa

from assistant.conversations.repository import utcnow
from assistant.feedback import CATEGORIES
from assistant.feedback.organisations import organisation_name
from assistant.privacy.masking import mask_all
from assistant.storage import Database
from assistant.storage.tables import feedback


@dataclass(frozen=True)
class FeedbackFilter:
    date_from: Optional[datetime] = None
    date_to: Optional[datetime] = None
    document: Optional[str] = None
    organisation: Optional[str] = None
    category: Optional[str] = None

    def clauses(self) -> list[Any]:
        clauses: list[Any] = []
        if self.date_from:
            clauses.append(feedback.c.created_at >= self.date_from)
        if self.date_to:
            clauses.append(feedback.c.created_at < self.date_to)
        if self.document:
            term = f"%{self.document.lower()}%"
            clauses.append(
                sa.or_(
                    feedback.c.document_fiche_id == self.document.upper(),
                    sa.func.lower(feedback.c.document_label).like(term),
                    feedback.c.document_cerfa.like(f"{self.document}%"),
                )
            )
        if self.organisation:
            clauses.append(sa.func.lower(feedback.c.organisation).like(f"%{self.organisation.lower()}%"))
        if self.category:
            clauses.append(feedback.c.categories.like(f"%,{self.category},%"))
        return clauses


def record(row: Any) -> dict[str, Any]:
    created: datetime = row["created_at"]
    return {
        "reference": row["reference"],
        "created_at": (created if created.tzinfo else created.replace(tzinfo=utcnow().tzinfo)).isoformat(),
        "channel": row["channel"],
        "conversation_id": row["conversation_id"],
        "document": {
            "label": row["document_label"],
            "kind": row["document_kind"],
            "fiche_id": row["document_fiche_id"],
            "cerfa": row["document_cerfa"],
            # a fiche's phone line stored before the organisation was read from it (issue #26)
            "organisation": organisation_name(row["organisation"])
            if row["document_fiche_id"]
            else row["organisation"],
        },
        "categories": [c for c in row["categories"].split(",") if c],
        "description": row["description"],
        "suggestion": row["suggestion"],
        "contact": row["contact"],
        "situations": row["situations"],
    }


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, conversation_id: Optional[str], channel: str, report: dict[str, Any]
    ) -> tuple[str, list[str]]:
        """Store a report with personal data masked; return its reference and what was masked."""
        document = report.get("document") or {}
        categories = [c for c in report.get("categories") or [] if c in CATEGORIES] or ["other"]
        consent = bool(report.get("contact_consent"))
        named = str(document["organisation"]) if document.get("organisation") else None
        if named and document.get("fiche_id"):
            named = organisation_name(named)  # the fiche's organisation, not its phone line
        # Every free-text field is masked, the organisation included (issue #27); only the contact
        # given with consent is kept as written.
        (label, description, suggestion, organisation, cerfa), masked = mask_all(
            [
                str(document.get("label") or "")[:500],
                str(report.get("description") or "")[:4000],
                (str(report["suggestion"])[:4000] if report.get("suggestion") else None),
                (named[:256] if named else None),
                (str(document["cerfa"])[:32] if document.get("cerfa") else None),
            ]
        )
        contact = str(report.get("contact") or "")[:300] if consent and report.get("contact") else None
        now = utcnow()
        async with self.db.connect() as conn:
            result = await conn.execute(
                feedback.insert().values(
                    created_at=now,
                    channel=channel,
                    conversation_id=conversation_id,
                    document_label=label or "Document non précisé",
                    document_kind=str(document.get("kind") or "document")[:32],
                    document_fiche_id=(str(document["fiche_id"])[:16] if document.get("fiche_id") else None),
                    document_cerfa=cerfa[:32] if cerfa else None,
                    organisation=organisation[:256] if organisation else None,
                    categories="," + ",".join(categories) + ",",
                    description=description or "",
                    suggestion=suggestion,
                    contact=contact,
                    situations=[str(s) for s in report.get("situations") or []],
                    masked=masked,
                )
            )
            (row_id,) = result.inserted_primary_key
            reference = f"DOC-{now.year}-{row_id:06d}"
            await conn.execute(feedback.update().where(feedback.c.id == row_id).values(reference=reference))
        return reference, masked

    async def get(self, reference: str) -> Optional[dict[str, Any]]:
        async with self.db.connect() as conn:
            row = (
                (await conn.execute(feedback.select().where(feedback.c.reference == reference)))
                .mappings()
                .first()
            )
        return record(row) if row else None

    async def search(
        self, where: FeedbackFilter, offset: int = 0, limit: int = 50
    ) -> tuple[int, list[dict[str, Any]]]:
        clauses = where.clauses()
        async with self.db.connect() as conn:
            total = (
                await conn.execute(sa.select(sa.func.count()).select_from(feedback).where(*clauses))
            ).scalar()
            rows = (
                (
                    await conn.execute(
                        feedback.select()
                        .where(*clauses)
                        .order_by(feedback.c.id.desc())
                        .offset(offset)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        return int(total or 0), [record(r) for r in rows]

    async def delete_for(self, conversation_id: str) -> int:
        """Erasure of a conversation: its reports go with it."""
        async with self.db.connect() as conn:
            result = await conn.execute(
                feedback.delete().where(feedback.c.conversation_id == conversation_id)
            )
        return int(result.rowcount or 0)

    async def forget_contacts(self, before: datetime) -> int:
        async with self.db.connect() as conn:
            result = await conn.execute(
                feedback.update()
                .where(feedback.c.created_at < before, feedback.c.contact.isnot(None))
                .values(contact=None)
            )
        return int(result.rowcount or 0)
