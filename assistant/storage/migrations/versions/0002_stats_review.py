"""Indicators, satisfaction and the review queue.

The situations of each conversation, the satisfaction answers (one per conversation), the ratings
of search answers, the review queue, and the indexes the indicators read: conversations by start
time, messages by role and conversation, a conversation's handoffs. Like 0001, it adopts a database that
`create_all` already made: only what is missing is created.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _index(inspector: sa.engine.reflection.Inspector, table: str, name: str, columns: Sequence[str]) -> None:
    if name not in {index["name"] for index in inspector.get_indexes(table)}:
        op.create_index(name, table, list(columns), unique=False)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    _index(inspector, "conversations", "ix_conversations_created_at", ["created_at"])
    _index(inspector, "messages", "ix_messages_role_conversation", ["role", "conversation_id", "created_at"])
    _index(inspector, "handoffs", "ix_handoffs_conversation", ["conversation_id", "created_at"])
    if "conversation_situations" not in existing:
        op.create_table(
            "conversation_situations",
            sa.Column("conversation_id", sa.String(length=64), nullable=False),
            sa.Column("situation", sa.String(length=16), nullable=False),
            sa.Column("created_at", TZ, nullable=False),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("conversation_id", "situation"),
        )
        op.create_index(
            "ix_conversation_situations_situation",
            "conversation_situations",
            ["situation", "conversation_id"],
            unique=False,
        )
    if "csat_responses" not in existing:
        op.create_table(
            "csat_responses",
            sa.Column("conversation_id", sa.String(length=64), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("trigger", sa.String(length=16), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("score", sa.Integer(), nullable=True),
            sa.Column("reason", sa.String(length=32), nullable=True),
            sa.Column("comment", sa.Text(), nullable=True),
            sa.Column("asked_at", TZ, nullable=False),
            sa.Column("answered_at", TZ, nullable=True),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("conversation_id"),
        )
    if "answer_ratings" not in existing:
        op.create_table(
            "answer_ratings",
            sa.Column("message_id", sa.Integer(), nullable=False),
            sa.Column("conversation_id", sa.String(length=64), nullable=False),
            sa.Column("helpful", sa.Boolean(), nullable=False),
            sa.Column("created_at", TZ, nullable=False),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("message_id"),
        )
        op.create_index(
            "ix_answer_ratings_conversation_id", "answer_ratings", ["conversation_id"], unique=False
        )
    if "review_items" not in existing:
        op.create_table(
            "review_items",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=64), nullable=False),
            sa.Column("message_id", sa.Integer(), nullable=True),
            sa.Column("source", sa.String(length=32), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("masked", sa.JSON(), nullable=False),
            sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
            sa.Column("label_kind", sa.String(length=16), nullable=True),
            sa.Column("label", sa.String(length=64), nullable=True),
            sa.Column("reviewed_by", sa.Integer(), nullable=True),
            sa.Column("created_at", TZ, nullable=False),
            sa.Column("reviewed_at", TZ, nullable=True),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["reviewed_by"], ["agents.id"], ondelete="SET NULL"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("message_id", "source", name="uq_review_items_message_source"),
        )
        op.create_index("ix_review_items_status", "review_items", ["status", "id"], unique=False)
        op.create_index(
            "ix_review_items_conversation", "review_items", ["conversation_id", "source"], unique=False
        )


def downgrade() -> None:
    for name in ("review_items", "answer_ratings", "csat_responses", "conversation_situations"):
        op.drop_table(name)
    op.drop_index("ix_handoffs_conversation", table_name="handoffs")
    op.drop_index("ix_messages_role_conversation", table_name="messages")
    op.drop_index("ix_conversations_created_at", table_name="conversations")
