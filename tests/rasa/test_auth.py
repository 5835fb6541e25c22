"""Issue #27: Rasa's token never in a URL nor on a command line, and Rasa's REST channel needs it
too (anything that reached Rasa could write into any conversation's history)."""

from __future__ import annotations

import subprocess

import httpx

from assistant.config import Settings


def test_the_rest_channel_and_the_api_need_the_token(rasa_stack: Settings) -> None:
    base, token = rasa_stack.rasa_base_url, rasa_stack.rasa_token
    message = {"sender": "intrus" + "0" * 20, "message": "bonjour"}
    header = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{base}/webhooks/rest/webhook", json=message, timeout=30).status_code == 401
    wrong = {"Authorization": "Bearer pas-le-bon-jeton"}
    assert (
        httpx.post(f"{base}/webhooks/rest/webhook", json=message, headers=wrong, timeout=30).status_code
        == 401
    )
    answered = httpx.post(f"{base}/webhooks/rest/webhook", json=message, headers=header, timeout=60)
    assert answered.status_code == 200 and isinstance(answered.json(), list)
    assert httpx.get(f"{base}/status", timeout=10).status_code == 401
    assert httpx.get(f"{base}/status", headers=wrong, timeout=10).status_code == 401
    assert httpx.get(f"{base}/status", headers=header, timeout=10).status_code == 200
    assert (
        httpx.get(f"{base}/status", params={"token": token}, timeout=10).status_code == 200
    )  # Rasa's own way


def test_the_token_is_in_no_process_command_line(rasa_stack: Settings) -> None:
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert "assistant.rasa.server" in listing  # the stack is running...
    assert rasa_stack.rasa_token not in listing  # ...and no command line shows its token
    log = (rasa_stack.var_dir / "stack.log").read_text(encoding="utf-8")
    assert rasa_stack.rasa_token not in log
