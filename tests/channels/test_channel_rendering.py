"""Telegram and SMS renderers: same payloads as the web, each channel's own templates and limits."""

from __future__ import annotations

from assistant.conversations.models import Button, OutboundMessage
from channels.sms_rendering import SmsRenderer
from channels.sms_segments import count_segments
from channels.telegram import TELEGRAM_MAX_CHARS, callback_data, parse_reference, telegram_renderer
from channels.web import web_renderer
from tests.channels.test_rendering import plan, references

PUBLIC = "https://gw.test"


def test_telegram_plan_and_size_limit() -> None:
    messages = telegram_renderer().render([OutboundMessage(custom=plan(12))])
    texts = [m.text or "" for m in messages]
    assert texts[0].startswith("J'ai trouvé 12 démarches pour vous")
    assert "https://www.service-public.fr/particuliers/vosdroits/F3" in texts[1]
    assert messages[-1].buttons == (Button("La suite", "/plan_next"),)
    long = telegram_renderer().render([OutboundMessage(text="mot " * 3000)])
    assert len(long) == 3 and all(len(m.text or "") <= TELEGRAM_MAX_CHARS for m in long)


def test_telegram_callback_data_is_the_payload_or_a_reference() -> None:
    assert callback_data(7, 0, '/answer{"choice_id":"F14128-q1-c1"}') == '/answer{"choice_id":"F14128-q1-c1"}'
    assert callback_data(7, 2, "é" * 33) == "#7:2"  # 66 bytes in UTF-8
    assert callback_data(7, 1, "#not-a-reference") == "#7:1"
    assert parse_reference("#7:2") == (7, 2)
    assert parse_reference("/greet") is None and parse_reference("#x:1") is None


def test_sms_buttons_become_numbered_choices() -> None:
    renderer = SmsRenderer(PUBLIC)
    message = OutboundMessage(
        text="Vous êtes…",
        buttons=(Button("Locataire", "/a"), Button("Propriétaire", "/b"), Button("Je ne sais pas", "/c")),
    )
    (out,) = renderer.render([message])
    assert out.text == "Vous êtes...\n1. Locataire\n2. Propriétaire\n3. Je ne sais pas\nRépondez 1, 2 ou 3."
    assert out.buttons == message.buttons  # kept: a digit reply finds them in the transcript
    (single,) = renderer.render([OutboundMessage(text="Ok ?", buttons=(Button("Oui", "/y"),))])
    assert single.text == "Ok ?\n1. Oui\nRépondez 1."


def test_sms_plan_titles_and_short_links_three_a_message() -> None:
    renderer = SmsRenderer(PUBLIC)
    payload = plan(12)
    payload["items"][1]["url"] = "https://www.service-public.fr/professionnels-entreprises/vosdroits/F2"
    messages = renderer.render([OutboundMessage(custom=payload)])
    texts = [m.text or "" for m in messages]
    assert texts[0].startswith('12 démarches pour vous ("Je déménage")')
    assert "Votre plan complet : http://gw/plans/tok" in texts[0]
    # each chapter's heading before its first démarche
    assert texts[1] == (
        "[Logement]\n1. Démarche 1\nhttps://gw.test/l/F1\n2. Démarche 2\nhttps://gw.test/l/pro/F2\n"
        "3. Démarche 3\nhttps://gw.test/l/F3"
    )
    assert texts[2].startswith("[Papiers]\n4. Démarche 4") and "6. Démarche" not in texts[2]
    assert "la suite" in texts[-1] and "1. La suite\nRépondez 1." in texts[-1]
    assert "vosdroits" not in " ".join(texts) and "Explication" not in " ".join(texts)
    assert all(count_segments(t) <= 3 for t in texts)


def test_a_plan_without_demarches_links_the_fiche_by_its_title_on_every_channel() -> None:
    """Never a bare address: "Je déménage : https://…"."""
    empty = OutboundMessage(custom=plan(0))
    for renderer in (web_renderer(), telegram_renderer(), SmsRenderer(PUBLIC)):
        text = "\n".join(m.text or "" for m in renderer.render([empty]))
        assert "\nJe déménage : https://x/F14128" in text, text


def test_sms_references_with_short_links() -> None:
    texts = [m.text or "" for m in SmsRenderer(PUBLIC).render([OutboundMessage(custom=references(4))])]
    assert texts[0].startswith(
        "Pour en savoir plus (fiches officielles, pas des démarches) :\n- Règle 1 https://gw.test/l/F1"
    )
    assert "vosdroits" not in " ".join(texts) and all(count_segments(t) <= 3 for t in texts)
