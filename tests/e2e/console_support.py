"""Records for the console's browser tests, written straight into the store (no Rasa needed):
agents, and conversations waiting for an agent, one with a long plan and a button pressed."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from assistant.auth.repository import AgentRepository
from assistant.config import Settings
from assistant.conversations.models import Button, OutboundMessage
from assistant.conversations.repository import ConversationRepository, utcnow
from assistant.handoff.repository import HandoffRepository
from assistant.storage import Database
from assistant.storage.tables import handoffs
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD
from tests.helpers import free_port

PLAN_ITEMS = 51
LEAVE_CONTACT = Button("Laisser mes coordonnées", "/leave_contact")


@dataclass
class Seeded:
    long_plan: str  # the handoff whose person pressed a button and was shown a 51-item plan
    urgent: str  # priority 3, newest
    old: str  # priority 1, waiting longest
    recent: str  # priority 1, waiting least


def console_settings(tmp: Path) -> Settings:
    port = free_port()
    return make_settings(tmp, port=port, sse_keepalive_seconds=1.0)


async def seed(settings: Settings) -> Seeded:
    database = Database(settings.sqlalchemy_url)
    await database.start()
    try:
        await AgentRepository(database).add("alice", PASSWORD, "agent", "Alice Martin")
        conversations = ConversationRepository(database)
        repository = HandoffRepository(database)
        situations = [{"id": "F14128", "title": "Je déménage"}]

        async def waiting(
            channel: str, words: list[str], priority: int, minutes: int, **packet: object
        ) -> str:
            conversation = await conversations.create(channel)
            for text in words:
                await conversations.add_inbound(conversation.id, text, None, status="done")
            full = {"channel": channel, "situations": situations, "summary": "Déménagement.", **packet}
            handoff = await repository.create(conversation.id, "explicit_request", priority, full)
            async with database.connect() as conn:
                await conn.execute(
                    handoffs.update()
                    .where(handoffs.c.id == handoff.id)
                    .values(created_at=utcnow() - timedelta(minutes=minutes))
                )
            return handoff.id

        plan = [
            {
                "fiche_id": f"F{1000 + i}",
                "title": f"Démarche numéro {i + 1}",
                "url": "https://www.service-public.fr/",
            }
            for i in range(PLAN_ITEMS)
        ]
        long_plan = await waiting("web", ["je déménage"], 1, 20, plan=plan)
        handoff = await repository.get(long_plan)
        assert handoff is not None
        await conversations.add_outbound(
            handoff.conversation_id,
            "bot",
            [OutboundMessage(text="Un conseiller va vous répondre.", buttons=(LEAVE_CONTACT,))],
        )
        await conversations.add_inbound(handoff.conversation_id, None, LEAVE_CONTACT.payload, status="agent")
        return Seeded(
            long_plan=long_plan,
            urgent=await waiting("sms", ["mon propriétaire me met dehors ce soir"], 3, 2),
            old=await waiting("telegram", ["je pars à Lyon le mois prochain"], 1, 34),
            recent=await waiting("web", ["nouvelle adresse pour la CAF ?"], 1, 5),
        )
    finally:
        await database.stop()


class CuttableProxy:
    """A TCP relay in front of the gateway whose open connections can all be cut at once: a real
    disconnection, as when a network drops, for the browser's live streams."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.port = free_port()
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            with self._lock:
                self._open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Every connection open now ends, as a dropped network does; new ones still get through."""
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._server.close()
        self.cut()
