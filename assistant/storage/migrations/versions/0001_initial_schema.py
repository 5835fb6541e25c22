"""The schema as `metadata.create_all` made it before migrations existed.

A database created that way, without Alembic's version table, is adopted: only the tables it lacks
are created (with their indexes), then it is at this revision like a new one.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _create(
    existing: set[str], name: str, *elements: sa.schema.SchemaItem, indexes: Sequence[str] = ()
) -> None:
    """Create table `name` unless it exists; each index as "name:column,column"."""
    if name in existing:
        return
    op.create_table(name, *elements)
    for index in indexes:
        index_name, columns = index.split(":")
        op.create_index(index_name, name, columns.split(","), unique=False)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    _create(
        existing,
        "agents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    _create(
        existing,
        "channel_events",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("channel", "event_id"),
        indexes=["ix_channel_events_created_at:created_at"],
    )
    _create(
        existing,
        "conversations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender_ref", sa.String(length=128), nullable=True),
        sa.Column("mode", sa.String(length=16), server_default="bot", nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=["ix_conversations_sender_ref:sender_ref", "ix_conversations_updated_at:updated_at"],
    )
    _create(
        existing,
        "sms_recipients",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("opted_out", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("pending_text", sa.Text(), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    _create(
        existing,
        "auth_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=True),
        sa.Column("expires_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
        indexes=["ix_auth_tokens_expires_at:expires_at"],
    )
    _create(
        existing,
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("document_label", sa.Text(), nullable=False),
        sa.Column("document_kind", sa.String(length=32), nullable=False),
        sa.Column("document_fiche_id", sa.String(length=16), nullable=True),
        sa.Column("document_cerfa", sa.String(length=32), nullable=True),
        sa.Column("organisation", sa.String(length=256), nullable=True),
        sa.Column("categories", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("situations", sa.JSON(), nullable=False),
        sa.Column("masked", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        indexes=[
            "ix_feedback_created_at:created_at",
            "ix_feedback_document_fiche_id:document_fiche_id",
            "ix_feedback_organisation:organisation",
        ],
    )
    _create(
        existing,
        "handoffs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("packet", sa.JSON(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("closed_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        indexes=["ix_handoffs_status:status"],
    )
    _create(
        existing,
        "link_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("used_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code_hash"),
        indexes=["ix_link_codes_conversation_id:conversation_id", "ix_link_codes_expires_at:expires_at"],
    )
    _create(
        existing,
        "messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("buttons", sa.JSON(), nullable=True),
        sa.Column("custom", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="done", nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        indexes=["ix_messages_conversation:conversation_id,id"],
    )
    _create(
        existing,
        "plan_exports",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token"),
        sa.UniqueConstraint("conversation_id"),
    )
    _create(
        existing,
        "web_client_messages",
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id", "client_id"),
    )
    _create(
        existing,
        "handoff_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.String(length=32), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agents.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _create(
        existing,
        "inbound_claims",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id"),
    )


def downgrade() -> None:
    for name in (
        "inbound_claims",
        "handoff_notes",
        "web_client_messages",
        "plan_exports",
        "messages",
        "link_codes",
        "handoffs",
        "feedback",
        "auth_tokens",
        "sms_recipients",
        "conversations",
        "channel_events",
        "agents",
    ):
        op.drop_table(name)
