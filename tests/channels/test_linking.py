"""Continuity across channels on request: a code shown on one channel, sent from another."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from limits.aio.storage import MemoryStorage

from assistant import texts
from assistant.conversations.repository import ConversationRepository
from assistant.infra.ratelimit import WindowRateLimiter
from assistant.linking.codes import ALPHABET, CODE_LENGTH, RedeemCode, RequestCode, new_code, parse_command
from assistant.linking.repository import LinkCodeRepository
from assistant.linking.service import LinkingService
from assistant.storage import Database
from assistant.storage.tables import link_codes
from tests.channels.conftest import app_state, random_id
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms
from tests.channels.test_telegram import post, text_update
from tests.conftest import add_agent


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'link.db'}")
    await db.start()
    yield db
    await db.stop()


# --- units -----------------------------------------------------------------------------------


def test_codes_use_the_unambiguous_alphabet() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert not set(code) & set("0O1IL")


def test_commands_are_parsed_strictly() -> None:
    assert parse_command("CODE") == RequestCode()
    assert parse_command(" code. ") == RequestCode()
    assert parse_command("CODE K7P2QX") == RedeemCode("K7P2QX")
    assert parse_command("code k7p 2qx") == RedeemCode("K7P2QX")
    assert parse_command("Code : K7P-2QX") == RedeemCode("K7P2QX")
    for other in ("code postal", "code 75011", "mon code K7P2QX", "CODE K7P2Q", "je déménage"):
        assert parse_command(other) is None, other


async def test_issue_stores_only_the_hash_and_redeems_once(database: Database) -> None:
    clock = Clock()
    conversation = await ConversationRepository(database).create("web")
    codes = LinkCodeRepository(database, clock)
    issued = await codes.issue(conversation.id)
    assert issued.expires_at == clock.now + timedelta(minutes=15)
    async with database.connect() as conn:
        rows = (await conn.execute(sa.select(link_codes.c.code_hash))).all()
    assert rows == [(hashlib.sha256(issued.code.encode()).hexdigest(),)]
    assert await codes.redeem(issued.code.lower()) == ("ok", conversation.id)
    assert await codes.redeem(issued.code) == ("used", None)
    assert await codes.redeem("ZZZZZZ") == ("invalid", None)


async def test_expiry_with_an_injected_clock(database: Database) -> None:
    clock = Clock()
    conversation = await ConversationRepository(database).create("web")
    codes = LinkCodeRepository(database, clock)
    first, second = await codes.issue(conversation.id), None
    clock.now += timedelta(minutes=14, seconds=59)
    assert (await codes.redeem(first.code))[0] == "ok"
    second = await codes.issue(conversation.id)
    clock.now += timedelta(minutes=15)
    assert await codes.redeem(second.code) == ("expired", None)


async def test_a_new_code_revokes_the_previous_one(database: Database) -> None:
    conversation = await ConversationRepository(database).create("web")
    codes = LinkCodeRepository(database, Clock())
    old = await codes.issue(conversation.id)
    new = await codes.issue(conversation.id)
    assert await codes.redeem(old.code) == ("invalid", None)
    assert await codes.redeem(new.code) == ("ok", conversation.id)


async def test_wrong_codes_are_throttled(database: Database) -> None:
    repository = ConversationRepository(database)
    conversation = await repository.create("web")

    class Service:  # just what LinkingService uses before a code is accepted
        def __init__(self) -> None:
            self.repository = repository

    attempts = WindowRateLimiter(MemoryStorage(), 5, 1, "link")  # 5 tries a second, for the test
    linking = LinkingService(Service(), LinkCodeRepository(database, Clock()), attempts)  # type: ignore[arg-type]
    good = await linking.request_code(conversation)
    statuses = [(await linking.redeem("ZZZZZZ", "sms", "+33600000000", "sms:x")).status for _ in range(5)]
    assert statuses == ["invalid"] * 5
    refused = await linking.redeem(good.code, "sms", "+33600000000", "sms:x")
    assert refused.status == "blocked" and "patienter 15 minutes" in refused.refusal
    await asyncio.sleep(1.1)  # the window has moved on: allowed again, the code still valid
    assert (await linking.redeem("ZZZZZZ", "sms", "+33600000000", "sms:x")).status == "invalid"
    assert (await linking.redeem("ZZZZZZ", "sms", "+33600000000", "sms:y")).status == "invalid"


# --- end to end ------------------------------------------------------------------------------


def transcript(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.get(f"/api/conversations/{conversation_id}/messages").json()[
        "messages"
    ]
    return messages


def web_conversation_with_pending_question(client: TestClient) -> str:
    conversation_id: str = client.post("/api/conversations").json()["id"]
    replies = client.post(
        f"/api/conversations/{conversation_id}/messages", json={"text": "je déménage le mois prochain"}
    ).json()["messages"]
    assert any(b["title"] == "Locataire" for m in replies for b in m["buttons"]), replies
    return conversation_id


def link_code(client: TestClient, conversation_id: str) -> str:
    response = client.post(f"/api/conversations/{conversation_id}/link-code")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"code", "expires_at"} and len(body["code"]) == CODE_LENGTH
    code: str = body["code"]
    return code


def agent_reply(client: TestClient, conversation_id: str, text: str) -> None:
    token = add_agent(client, f"agent{random_id()}")
    headers = {"Authorization": f"Bearer {token}"}
    waiting = client.get("/api/handoffs?status=waiting", headers=headers).json()["handoffs"]
    (handoff,) = [h for h in waiting if h["conversation_id"] == conversation_id]
    assert client.post(f"/api/handoffs/{handoff['id']}/claim", headers=headers).status_code == 200
    sent = client.post(f"/api/handoffs/{handoff['id']}/messages", json={"text": text}, headers=headers)
    assert sent.status_code == 201


def test_web_to_telegram_continues_the_same_conversation(client: TestClient, bot_api: FakeBotApi) -> None:
    conversation_id = web_conversation_with_pending_question(client)
    code = link_code(client, conversation_id)
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))  # the chat had its own conversation already
    bot_api.reset()

    post(client, text_update(chat_id, f"code {code[:3].lower()} {code[3:]}"))
    sent = bot_api.named("sendMessage")
    assert "poursuivez ici la conversation commencée sur le site web" in sent[0].params["text"]
    question = sent[-1]
    assert [r[0]["text"] for r in question.params["reply_markup"]["inline_keyboard"]][:2] == [
        "Locataire",
        "Propriétaire",
    ]
    repository = app_state(client).conversations.repository
    found = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))  # type: ignore[union-attr]
    assert found is not None and found.id == conversation_id and found.channel == "telegram"
    messages = transcript(client, conversation_id)
    assert any(
        m["role"] == "system" and m["text"] == "Conversation poursuivie sur Telegram." for m in messages
    )
    assert code not in str(messages)

    bot_api.reset()
    post(client, text_update(chat_id, "je suis locataire"))  # answers the web's pending question
    assert bot_api.sent_texts()
    after = transcript(client, conversation_id)
    assert after[-1]["role"] == "bot" and "Locataire" not in str(after[-1]["buttons"])
    users = [m["text"] for m in after if m["role"] == "user"]
    assert users[0] == "je déménage le mois prochain" and users[-1] == "je suis locataire"

    post(client, text_update(chat_id, "je veux parler à un conseiller"))
    bot_api.reset()
    agent_reply(client, conversation_id, "Bonjour, ici un conseiller.")
    bot_api.wait_for(lambda: "Bonjour, ici un conseiller." in bot_api.sent_texts())
    assert all(c.params["chat_id"] == chat_id for c in bot_api.named("sendMessage"))

    bot_api.reset()
    post(client, text_update(chat_id, f"CODE {code}"))  # a used code cannot be used again
    assert "déjà servi" in bot_api.sent_texts()[-1]


def test_telegram_asks_for_a_code_and_sms_redeems_it(
    client: TestClient, bot_api: FakeBotApi, sms_api: FakeSmsApi
) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "/start"))
    post(client, text_update(chat_id, "je déménage le mois prochain"))
    bot_api.reset()
    post(client, text_update(chat_id, "CODE"))
    (answer,) = bot_api.sent_texts()
    code = answer.split("ailleurs : ")[1][:CODE_LENGTH]
    assert f"CODE {code}" in answer
    repository = app_state(client).conversations.repository
    conversation = client.portal.call(repository.find_by_sender, "telegram", str(chat_id))  # type: ignore[union-attr]
    assert conversation is not None
    assert code not in str(transcript(client, conversation.id))

    number = new_number()
    send_sms(client, number, f"CODE {code}")
    notice, body = sms_api.bodies(number)
    assert notice == texts.text("sms_privacy_notice")
    assert "commencée sur Telegram" in body
    repeated = transcript(client, conversation.id)[-1]
    assert repeated["role"] == "bot" and "1. Locataire" in repeated["text"]
    moved = client.portal.call(repository.find_by_sender, "sms", number)  # type: ignore[union-attr]
    assert moved is not None and moved.id == conversation.id
    assert client.portal.call(repository.find_by_sender, "telegram", str(chat_id)) is None  # type: ignore[union-attr]

    send_sms(client, number, "1")  # Locataire, in the Telegram-started dialogue
    assert len(sms_api.bodies(number)) == 3
    users = [m for m in transcript(client, conversation.id) if m["role"] == "user"]
    assert users[-1]["text"] == "1" and (users[-1]["payload"] or "").startswith("/answer")

    send_sms(client, number, "je veux parler à un conseiller")
    agent_reply(client, conversation.id, "Un conseiller vous écrit par SMS.")
    sms_api.wait_for(lambda: any("Un conseiller vous écrit" in b for b in sms_api.bodies(number)))


def test_telegram_to_web(client: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    post(client, text_update(chat_id, "je déménage le mois prochain"))
    post(client, text_update(chat_id, "CODE"))
    code = bot_api.sent_texts()[-1].split("ailleurs : ")[1][:CODE_LENGTH]
    response = client.post("/api/conversations/link", json={"code": code.lower()})
    assert response.status_code == 200, response.text
    conversation_id = response.json()["id"]
    messages = transcript(client, conversation_id)
    assert messages[-1]["role"] == "bot" and messages[-1]["buttons"][0]["title"] == "Locataire"
    assert any(m["text"] == "Conversation poursuivie sur le site web." for m in messages)
    again = client.post("/api/conversations/link", json={"code": code})
    assert again.status_code == 422 and "déjà servi" in again.json()["error"]["message"]


def test_invalid_and_expired_codes_and_throttling(
    client: TestClient, bot_api: FakeBotApi, sms_api: FakeSmsApi
) -> None:
    conversation_id = web_conversation_with_pending_question(client)
    code = link_code(client, conversation_id)
    database = app_state(client).database

    async def expire() -> None:
        async with database.connect() as conn:
            await conn.execute(
                link_codes.update().values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
            )

    assert client.portal is not None
    client.portal.call(expire)
    number = new_number()
    send_sms(client, number, f"CODE {code}")
    assert "a expiré" in sms_api.bodies(number)[-1]
    for _ in range(4):
        send_sms(client, number, "CODE ZZZZZZ")
    assert all("pas valide" in b for b in sms_api.bodies(number)[2:])  # after the notice and "a expiré"
    fresh = link_code(client, conversation_id)
    send_sms(client, number, f"CODE {fresh}")  # the sixth attempt in 15 minutes is refused
    assert "patienter 15 minutes" in sms_api.bodies(number)[-1]
    repository = app_state(client).conversations.repository
    own = client.portal.call(repository.find_by_sender, "sms", number)  # type: ignore[union-attr]
    assert own is not None and own.id != conversation_id
    assert client.portal.call(repository.get, conversation_id).channel == "web"  # type: ignore[union-attr]

    chat_id = random_id()  # another sender is not affected
    post(client, text_update(chat_id, f"CODE {fresh}"))
    assert "poursuivez ici" in bot_api.sent_texts()[0]

    wrong = client.post("/api/conversations/link", json={"code": "ZZZZZZ"})
    assert wrong.status_code == 422 and "pas valide" in wrong.json()["error"]["message"]
    assert client.post("/api/conversations/link", json={"code": 123}).status_code == 422
    assert client.post("/api/conversations/nope-nope-nope-nope/link-code").status_code == 404
