"""A stand-in for Rasa (REST channel, /status, tracker) and the action server (/health), recording
what the gateway sends: for the tests that need Rasa's answers under their control."""

from __future__ import annotations

from typing import Any, Optional

from tests.channels.fakes import Call, FakeServer

OFFERED = '/choose_category{"category":"logement"}'  # the button of the fake welcome
WELCOME = [{"text": "Bonjour. De quoi s'agit-il ?", "buttons": [{"title": "Logement", "payload": OFFERED}]}]
BREAKS_THE_TURN = "ce message casse le tour"  # Rasa answers nothing to it: a lost turn


class FakeRasa(FakeServer):
    def __init__(
        self, replies: Optional[dict[str, list[Any]]] = None, slots: Optional[dict[str, Any]] = None
    ) -> None:
        super().__init__()
        self.replies = {"/start_conversation": WELCOME, BREAKS_THE_TURN: [], **(replies or {})}
        self.slots = slots or {}

    def handle(self, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
        if path.startswith("/webhooks/rest/webhook"):
            self.record(Call("message", params, headers))
            message = str(params.get("message"))
            if message in self.replies:
                return 200, self.replies[message]
            return 200, [{"recipient_id": params.get("sender"), "text": f"Réponse à : {message}"}]
        if path.startswith("/status"):
            return 200, {"model_file": "model.tar.gz"}
        if path.startswith("/health"):
            return 200, {"status": "ok"}
        if path.startswith("/conversations/"):
            self.record(Call("tracker", params, headers))
            return 200, {"events": [], "slots": self.slots}
        return 404, {}

    def messages(self) -> list[str]:
        return [str(c.params.get("message")) for c in self.named("message")]
