"""Deadline reminders: the person's consent and the reminders and follow-ups to send.

Like 0001 and 0002, it adopts a database that `create_all` already made: only what is missing is
created.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "reminder_consents" not in existing:
        _consents()
    if "reminders" not in existing:
        _reminders()


def _consents() -> None:
    op.create_table(
        "reminder_consents",
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("offered_at", TZ, nullable=False),
        sa.Column("granted_at", TZ, nullable=True),
        sa.Column("withdrawn_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_index("ix_reminder_consents_address", "reminder_consents", ["channel", "address"], unique=False)


def _reminders() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fiche_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("send_at", TZ, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reminders_due", "reminders", ["status", "send_at"], unique=False)
    op.create_index("ix_reminders_conversation", "reminders", ["conversation_id", "fiche_id"], unique=False)
    op.create_index("ix_reminders_address", "reminders", ["channel", "address", "sent_at"], unique=False)


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_table("reminder_consents")
