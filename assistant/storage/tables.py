"""Table definitions of the gateway's records."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("sender_ref", sa.String(128), nullable=True, index=True),
    sa.Column("mode", sa.String(16), nullable=False, server_default="bot"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=True),
    sa.Column("payload", sa.Text, nullable=True),
    sa.Column("buttons", sa.JSON, nullable=True),
    sa.Column("custom", sa.JSON, nullable=True),
    sa.Column("status", sa.String(16), nullable=False, server_default="done"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_messages_conversation", "conversation_id", "id"),
    # Indicators count the person's messages per conversation from this index alone, in order
    # (assistant/stats), and find an agent's first reply in a conversation.
    sa.Index("ix_messages_role_conversation", "role", "conversation_id", "created_at"),
)

plan_exports = sa.Table(
    "plan_exports",
    metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("plan", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# Codes that move a conversation to another channel on the person's request (SHA-256 only).
link_codes = sa.Table(
    "link_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
)

# Webhook events already accepted (Telegram update_id, SMS MessageSid), when Redis is not used.
channel_events = sa.Table(
    "channel_events",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("event_id", sa.String(128), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

# The widget's client-side message ids already accepted, so a re-sent frame is processed once.
web_client_messages = sa.Table(
    "web_client_messages",
    metadata,
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("client_id", sa.String(64), primary_key=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
)

# Inbound messages being sent to Rasa by one gateway instance: a message is sent only by the
# instance that inserted its row; a row older than the claim's lease was lost with its process.
inbound_claims = sa.Table(
    "inbound_claims",
    metadata,
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
)

# Per phone number: STOP received, and the rest of a long answer waiting for "SUITE".
sms_recipients = sa.Table(
    "sms_recipients",
    metadata,
    sa.Column("number", sa.String(32), primary_key=True),
    sa.Column("opted_out", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("pending_text", sa.Text, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(128), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

auth_tokens = sa.Table(
    "auth_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

handoffs = sa.Table(
    "handoffs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("packet", sa.JSON, nullable=False),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    sa.Column("outcome", sa.String(32), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_handoffs_conversation", "conversation_id", "created_at"),
)

handoff_notes = sa.Table(
    "handoff_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("handoff_id", sa.String(32), sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("reference", sa.String(32), nullable=True, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("document_label", sa.Text, nullable=False),
    sa.Column("document_kind", sa.String(32), nullable=False),
    sa.Column("document_fiche_id", sa.String(16), nullable=True, index=True),
    sa.Column("document_cerfa", sa.String(32), nullable=True),
    sa.Column("organisation", sa.String(256), nullable=True, index=True),
    sa.Column("categories", sa.String(256), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("suggestion", sa.Text, nullable=True),
    sa.Column("contact", sa.Text, nullable=True),
    sa.Column("situations", sa.JSON, nullable=False),
    sa.Column("masked", sa.JSON, nullable=False),
)

# Indicators, satisfaction and the review queue (assistant/stats, assistant/satisfaction,
# assistant/review). Every row goes with its conversation (ON DELETE CASCADE): purge and erasure.

# The life situations a conversation was about: from the plans shown and the handoff packets.
conversation_situations = sa.Table(
    "conversation_situations",
    metadata,
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("situation", sa.String(16), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_conversation_situations_situation", "situation", "conversation_id"),
)

# The satisfaction question (CSAT): one row per conversation at most, so it is never asked twice.
csat_responses = sa.Table(
    "csat_responses",
    metadata,
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("trigger", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("score", sa.Integer, nullable=True),
    sa.Column("reason", sa.String(32), nullable=True),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
)

# "Cette réponse vous a aidé ?" on search answers, keyed by the person's question.
answer_ratings = sa.Table(
    "answer_ratings",
    metadata,
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Messages to learn from: misunderstood, negative satisfaction, handoff by incomprehension (masked).
review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=True),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("masked", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="open"),
    sa.Column("label_kind", sa.String(16), nullable=True),
    sa.Column("label", sa.String(64), nullable=True),
    sa.Column("reviewed_by", sa.Integer, sa.ForeignKey("agents.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_review_items_status", "status", "id"),
    sa.Index("ix_review_items_conversation", "conversation_id", "source"),
    sa.UniqueConstraint("message_id", "source", name="uq_review_items_message_source"),
)

# Deadline reminders (assistant/reminders): the person's consent, one row per conversation...
reminder_consents = sa.Table(
    "reminder_consents",
    metadata,
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("channel", sa.String(32), nullable=False),  # where reminders go: telegram or sms
    sa.Column("address", sa.String(128), nullable=True),  # chat id or phone number, once given
    sa.Column("status", sa.String(16), nullable=False),  # offered, phone_asked, granted, withdrawn...
    sa.Column("plan", sa.JSON, nullable=False),  # the dated démarches and situations consented to
    sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("granted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_reminder_consents_address", "channel", "address"),
)

# ...and one row per message to send: a reminder before a deadline or the follow-up after it.
reminders = sa.Table(
    "reminders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "conversation_id",
        sa.String(64),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.String(16), nullable=False),  # before, followup
    sa.Column("fiche_id", sa.String(32), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("due", sa.Date, nullable=False),
    sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("address", sa.String(128), nullable=False),
    # scheduled, sending, sent, cancelled, failed; a claim is the update to "sending" with a token
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("claim", sa.String(32), nullable=True),
    sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("batch", sa.Integer, nullable=True),  # rows sent in one message share the first's id
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("answer", sa.String(16), nullable=True),  # done, not_yet, help
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_reminders_due", "status", "send_at"),
    sa.Index("ix_reminders_conversation", "conversation_id", "fiche_id"),
    sa.Index("ix_reminders_address", "channel", "address", "sent_at"),
)
