"""Reminders in the conversation: the offer after a dated plan, consent, STOP, FAIT, follow-ups.

A turn observer (`assistant/conversations/observers.py`): `after_turn` adds the offer under the
first plan with a deadline still to come (Telegram and SMS: reminders on that channel; the web:
SMS reminders to a number the person types, confirmed before anything is stored as consent);
`intercept` answers what concerns reminders before the dialogue sees it. A new plan while
consent holds replaces the reminders not sent yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any, Optional

from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.french.folding import fold
from assistant.kb.answers import yes_or_no
from assistant.reminders import messages as m
from assistant.reminders.consents import GRANTED, ConsentRepository
from assistant.reminders.repository import ReminderRepository, aware
from assistant.reminders.schedule import Demarche, Policy, dated

Clock = Callable[[], datetime]
REMINDER_CHANNELS = ("telegram", "sms")  # channels that can write first
STOP_WORDS = re.compile(r"^(stop|arret|plus de rappels?|arrete[rz]? les rappels|stop (les )?rappels?)$")
DONE_WORDS = re.compile(r"^(fait|c ?est fait|ok fait|deja fait|c ?est deja fait|j ?ai fait|termine)$")
HELP_WORDS = re.compile(r"\b(aide|aider|besoin d ?aide|conseiller)\b")
NOT_YET_WORDS = re.compile(r"^(pas encore|non pas encore|pas toujours|toujours pas)$")
# Yes and no to the offer, beyond the questionnaire's yes/no words (assistant/kb/answers.py).
AGREE_WORDS = re.compile(
    r"^(ok|okay|d ?accord|volontiers|vas y|allez y|ca marche|avec plaisir|je veux bien|bonne idee)\b"
)
REFUSE_WORDS = re.compile(
    r"^(non merci|pas maintenant|pas besoin|pas la peine|sans facon|annuler|laisse tomber)\b"
)
ANSWER_WINDOW = timedelta(days=30)  # "FAIT" refers to a reminder sent within this time
FOLLOWUP_WINDOW = timedelta(days=7)


def _words(text: Optional[str]) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text or "")).split())


class ReminderService:
    def __init__(
        self,
        consents: ConsentRepository,
        repository: ReminderRepository,
        policy: Policy,
        clock: Clock,
        channels: Collection[str],
    ) -> None:
        self.consents = consents
        self.repository = repository
        self.policy = policy
        self.clock = clock
        self.channels = frozenset(channels)  # the configured ones: no SMS offer without SMS

    # -- after a turn: the offer -------------------------------------------------------------

    async def after_turn(
        self, conversation: Conversation, inbound: Optional[StoredMessage], replies: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        plan = next((r.custom for r in reversed(replies) if (r.custom or {}).get("type") == "plan"), None)
        if plan is None:
            return replies
        now = self.clock()
        demarches = dated(plan.get("items") or [], now.astimezone(self.policy.zone).date())
        if not demarches:
            return replies
        record = {"items": [d.as_dict() for d in demarches], "situations": plan.get("situations") or []}
        consent = await self.consents.consent(conversation.id)
        channel = self._reminder_channel(conversation)
        if consent is not None and consent["status"] == GRANTED:
            await self.consents.reschedule(conversation.id, self.policy.schedule(demarches, now), record)
            return replies
        if consent is not None:
            # Offered once per plan: again only for a plan with other dates, if the person
            # neither accepted nor declined the first time ("la suite" shows the same plan).
            changed = consent["plan"].get("items") != record["items"]
            if consent["status"] != "ignored" or not changed or channel is None:
                return replies
            if not await self.consents.move(conversation.id, ("ignored",), status="offered", plan=record):
                return replies
        elif channel is None:
            return replies
        else:
            address = conversation.sender_ref if channel == conversation.channel else None
            if not await self.consents.offer(conversation.id, channel, address, record, now):
                return replies
        offer = m.offer(conversation.channel, self.policy.offsets)
        if conversation.channel == "sms":  # before the plan: its end waits for "SUITE"
            at = next(i for i, r in enumerate(replies) if r.custom is plan)
            return [*replies[:at], offer, *replies[at:]]
        return [*replies, offer]

    def _reminder_channel(self, conversation: Conversation) -> Optional[str]:
        if conversation.channel in REMINDER_CHANNELS and conversation.sender_ref:
            return conversation.channel if conversation.channel in self.channels else None
        return "sms" if conversation.channel == "web" and "sms" in self.channels else None

    # -- before the dialogue: what concerns reminders ----------------------------------------

    async def intercept(
        self, conversation: Conversation, inbound: StoredMessage
    ) -> Optional[list[OutboundMessage]]:
        pressed = m.parse(inbound.payload)
        if pressed is not None:
            return await self._pressed(conversation, pressed)
        if inbound.payload is not None:
            return None
        words = _words(inbound.text)
        if STOP_WORDS.match(words):
            return await self._stop(conversation, explicit="rappel" in words)
        consent = await self.consents.consent(conversation.id)
        if consent is not None and consent["status"] in ("offered", "phone_asked", "confirm_asked"):
            answer = await self._consent_typed(conversation, consent, inbound.text or "", words)
            if answer is not None:
                return answer
        return await self._typed_answer(conversation, inbound, words)

    async def _pressed(self, conversation: Conversation, pressed: m.Pressed) -> list[OutboundMessage]:
        if pressed.kind == "remind":
            consent = await self.consents.consent(conversation.id)
            if consent is None or consent["status"] == GRANTED:
                return [m.say("reminder_granted_none")] if consent else []
            if pressed.value == "no":
                await self.consents.move(
                    conversation.id, ("offered", "phone_asked", "confirm_asked"), status="declined"
                )
                return [m.say("reminder_declined")]
            if pressed.value == "sms" and consent["address"] is None:
                await self.consents.move(conversation.id, ("offered",), status="phone_asked")
                return [m.say("reminder_phone_question")]
            return await self._grant(conversation, consent)
        rows = await self._owned_batch(conversation, pressed.batch)
        if not rows:
            return []
        if pressed.value == "stop":
            return await self._stop(conversation, explicit=True, rows=rows) or []
        if pressed.kind == "reminder" and pressed.value == "done":
            return await self._answered(rows, "done")
        if pressed.kind == "followup" and pressed.value in ("done", "not_yet", "help"):
            return await self._answered(rows, pressed.value)
        return []

    async def _consent_typed(
        self, conversation: Conversation, consent: dict[str, Any], text: str, words: str
    ) -> Optional[list[OutboundMessage]]:
        status = consent["status"]
        pending = ("offered", "phone_asked", "confirm_asked")
        if status == "phone_asked":
            phone = m.parse_mobile(text)
            if phone is not None:
                await self.consents.move(
                    conversation.id, ("phone_asked",), status="confirm_asked", address=phone
                )
                return [m.phone_confirm(phone)]
            if yes_or_no(text) is False or REFUSE_WORDS.match(words):
                await self.consents.move(conversation.id, pending, status="declined")
                return [m.say("reminder_declined")]
            if sum(c.isdigit() for c in text) >= 6:
                return [m.say("reminder_phone_invalid")]
            if yes_or_no(text) is True or AGREE_WORDS.match(words):  # "oui": the number is still to come
                return [m.say("reminder_phone_question")]
        else:
            said = yes_or_no(text)
            if said is None and (AGREE_WORDS.match(words) or REFUSE_WORDS.match(words)):
                said = bool(AGREE_WORDS.match(words))
            if said is True and status == "offered" and consent["address"] is None:  # web: a number first
                await self.consents.move(conversation.id, ("offered",), status="phone_asked")
                return [m.say("reminder_phone_question")]
            if said is True:
                return await self._grant(conversation, consent)
            if said is False:
                await self.consents.move(conversation.id, pending, status="declined")
                return [m.say("reminder_declined")]
        # They moved on: the offer lapses, and the message goes to the dialogue.
        await self.consents.move(conversation.id, (status,), status="ignored")
        return None

    async def _grant(self, conversation: Conversation, consent: dict[str, Any]) -> list[OutboundMessage]:
        now = self.clock()
        address = consent["address"] or conversation.sender_ref
        if address is None:
            return []
        demarches = [d for d in (Demarche.from_item(i) for i in consent["plan"].get("items") or []) if d]
        planned = self.policy.schedule(demarches, now)
        if not await self.consents.grant(conversation.id, address, planned, consent["channel"], now):
            return []
        first = min((p.send_at for p in planned if p.kind == "before"), default=None)
        today = now.astimezone(self.policy.zone).date()
        count = sum(1 for p in planned if p.kind == "before")
        return [m.granted(count, first.astimezone(self.policy.zone).date() if first else None, today)]

    async def _stop(
        self, conversation: Conversation, explicit: bool, rows: Optional[list[dict[str, Any]]] = None
    ) -> Optional[list[OutboundMessage]]:
        now = self.clock()
        consent = await self.consents.consent(conversation.id)
        stopped = 0
        if consent is not None and consent["status"] == GRANTED:
            stopped += 1
            await self.consents.withdraw(conversation.id, now)
        address = conversation.sender_ref
        if rows:
            address = rows[0]["address"]
        if address is not None:
            stopped += await self.consents.withdraw_address(
                self._address_channel(conversation, rows), address, now
            )
        if stopped:
            return [m.say("reminder_stopped")]
        return [m.say("reminder_none_to_stop")] if explicit else None

    @staticmethod
    def _address_channel(conversation: Conversation, rows: Optional[list[dict[str, Any]]]) -> str:
        return str(rows[0]["channel"]) if rows else conversation.channel

    async def withdraw_address(self, channel: str, address: str) -> int:
        """STOP received by a channel itself (SMS): every reminder to that number is cancelled."""
        return await self.consents.withdraw_address(channel, address, self.clock())

    async def _owned_batch(self, conversation: Conversation, batch: Optional[int]) -> list[dict[str, Any]]:
        """The rows of a message of reminders, only if it was this conversation's or sent to it."""
        rows = await self.repository.batch(batch) if batch is not None else []
        if not rows:
            return []
        first = rows[0]
        mine = first["conversation_id"] == conversation.id or (
            first["channel"] == conversation.channel and first["address"] == conversation.sender_ref
        )
        return rows if mine else []

    async def _typed_answer(
        self, conversation: Conversation, inbound: StoredMessage, words: str
    ) -> Optional[list[OutboundMessage]]:
        """ "FAIT" after a reminder; "oui", "pas encore", "aide" right after a follow-up."""
        if conversation.sender_ref is None or not words:
            return None
        now = self.clock()
        rows = await self.repository.last_sent(
            conversation.channel, conversation.sender_ref, now - ANSWER_WINDOW
        )
        if not rows or rows[0]["answer"] is not None:
            return None
        if DONE_WORDS.match(words):
            return await self._answered(rows, "done")
        recent = aware(rows[0]["sent_at"]) >= now - FOLLOWUP_WINDOW
        if rows[0]["kind"] != "followup" or not recent:
            return None
        if not await self.repository.quiet_since(conversation.id, rows[0]["sent_at"], inbound.id):
            return None  # they have talked with the bot since: "oui" is for the dialogue
        if HELP_WORDS.search(words):
            return await self._answered(rows, "help")
        if NOT_YET_WORDS.match(words) or yes_or_no(inbound.text or "") is False:
            return await self._answered(rows, "not_yet")
        if yes_or_no(inbound.text or "") is True:
            return await self._answered(rows, "done")
        return None

    async def _answered(self, rows: list[dict[str, Any]], answer: str) -> list[OutboundMessage]:
        answered = await self.repository.answer(int(rows[0]["batch"]), answer, self.clock())
        if not answered:
            return [m.say("reminder_already")]
        if answer == "done":
            key = "reminder_done_thanks" if rows[0]["kind"] == "before" else "followup_done_thanks"
            return [m.say(key)]
        if answer == "not_yet":
            return [m.say("followup_not_yet_answer", url=rows[0]["url"] or "")]
        consent = await self.consents.consent(str(rows[0]["conversation_id"]))
        plan = (consent or {}).get("plan") or {}
        context = {
            "situations": plan.get("situations") or [],
            "plan": plan.get("items") or [],
            "reminder": {
                "fiches": [r["fiche_id"] for r in rows],
                "due": min(r["due"] for r in rows).isoformat(),
            },
        }
        handoff = {"type": "handoff", "reason": "followup_help", "priority": 1, "context": context}
        return [m.say("followup_help_answer"), OutboundMessage(custom=handoff)]

    async def of_conversation(self, conversation_id: str) -> list[dict[str, Any]]:
        """What the context API shows: [{fiche_id, due, send_at, channel, status, kind, answer}]."""
        return [
            {
                "fiche_id": r["fiche_id"],
                "kind": r["kind"],
                "due": r["due"].isoformat(),
                "send_at": aware(r["send_at"]).isoformat(),
                "channel": r["channel"],
                "status": r["status"],
                "answer": r["answer"],
            }
            for r in await self.repository.of_conversation(conversation_id)
        ]

    async def handoff_opened(self, conversation: Conversation, reason: str, context: dict[str, Any]) -> None:
        """Nothing to do: a handoff does not change reminders."""
