"""The message mix: a scripted conversation that presses the buttons the bot returns."""

from __future__ import annotations

from typing import Any

from bench.conversation import DEMARCHES, GLOSSARY, GREETINGS, SITUATIONS, Script, Turn, answer_payloads
from tests.bench.fake_bot import answer, bot_replies

WELCOME = [{"role": "bot", "text": "Bonjour", "buttons": []}]


def test_answer_payloads_are_the_answer_buttons_without_skip() -> None:
    messages: list[dict[str, Any]] = [
        {"text": "Un conseiller ?", "buttons": [{"title": "Oui", "payload": "/ask_human"}]},
        {"text": "Locataire ?", "buttons": [answer("F1-q1-c0"), answer("F1-q1-c1"), answer("F1-q1-skip")]},
        {"text": "sans boutons"},
    ]
    assert answer_payloads(messages) == [answer("F1-q1-c0")["payload"], answer("F1-q1-c1")["payload"]]


def run_script(seed: int) -> list[Turn]:
    script, turns = Script(seed), []
    turn = script.next_turn(WELCOME)
    while turn is not None:
        turns.append(turn)
        assert len(turns) < 30
        turn = script.next_turn(bot_replies(turn.body))
    return turns


def test_script_follows_the_buttons_then_asks_the_rest() -> None:
    turns = run_script(seed=7)
    texts = [t.text for t in turns]
    assert texts[0] in GREETINGS and texts[1] in SITUATIONS
    q1, q2 = turns[2].payload or "", turns[3].payload or ""
    assert q1 in {answer("F14128-q1-c0")["payload"], answer("F14128-q1-c1")["payload"]}
    assert q2 in {answer("F14128-q2-c0")["payload"], answer("F14128-q2-c1")["payload"]}
    assert texts[4:6] == ["la suite", "plus de détails sur la 2"]
    assert texts[6] in DEMARCHES and texts[7] in GLOSSARY
    assert len(turns) == 8


def test_script_is_reproducible_and_bounded() -> None:
    assert run_script(3) == run_script(3)
    script = Script(1)
    loop = [{"buttons": [answer("X-q1-c0")]}]
    turns = [script.next_turn(loop) for _ in range(20)]
    assert sum(1 for t in turns if t is not None and t.payload) == 8
    assert turns[-1] is None


def test_turn_body() -> None:
    assert Turn(text="bonjour").body == "bonjour"
    assert Turn(payload="/affirm").body == "/affirm"
