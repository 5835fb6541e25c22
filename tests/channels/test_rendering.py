"""Channel rendering of structured dialogue output, and message size limits."""

from __future__ import annotations

import itertools
from typing import Any

from assistant.conversations.models import Button, OutboundMessage
from channels.rendering import Renderer, split_text
from channels.web import WEB_MAX_CHARS, web_renderer


def item(index: int, deadline: str | None = None, title: str = "Démarche") -> dict[str, Any]:
    return {
        "index": index,
        "fiche_id": f"F{index}",
        "title": f"{title} {index}",
        "explanation": "Explication.",
        "context": "",
        "chapter": None,
        "group": "Logement" if index <= 3 else "Papiers",
        "url": f"https://www.service-public.fr/particuliers/vosdroits/F{index}",
        "deadline": deadline,
        "deadline_phrase": deadline,
        "due_date": None,
        "overdue": False,
        "situation_id": "F14128",
    }


def chapters(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive items of one chapter under its heading, as the plan payload groups them."""
    return [
        {"title": title, "items": list(group)}
        for title, group in itertools.groupby(items, key=lambda i: i["group"])
    ]


def plan(total: int, page: int = 1, export: bool = True) -> dict[str, Any]:
    items = [item(i, "Dans le mois" if i <= 2 else None) for i in range(1, total + 1)]
    page_items = items[(page - 1) * 5 : page * 5]
    payload: dict[str, Any] = {
        "type": "plan",
        "situations": [{"id": "F14128", "title": "Je déménage", "url": "https://x/F14128"}],
        "event_date": None,
        "total": total,
        "urgent": items[:2],
        "items": items,
        "page": page,
        "pages": -(-total // 5),
        "page_size": 5,
        "page_items": page_items,
        "groups": chapters(items),
        "page_groups": chapters(page_items),
        "dated": 0,
        "related": [],
        "buttons": [{"title": "La suite", "payload": "/plan_next"}],
    }
    if export:
        payload["export_url"] = "http://gw/plans/tok"
    return payload


def test_plan_first_page_has_summary_list_and_links() -> None:
    messages = web_renderer().render([OutboundMessage(custom=plan(12))])
    texts = [m.text or "" for m in messages]
    # The situation is the fiche's title, quoted: never said as if the bot were the person.
    header = (
        "J'ai trouvé 12 démarches pour vous, d'après la fiche officielle « Je déménage », "
        "les plus urgentes d'abord."
    )
    assert texts[0].startswith(header)
    assert "- Démarche 1 : dans le mois" in texts[0]
    assert "Logement :\n1. Démarche 1 (dans le mois)" in texts[1] and "Papiers :\n4. Démarche 4" in texts[1]
    assert "5. Démarche 5" in texts[1]
    assert "6. Démarche 6" not in texts[1]
    assert "https://www.service-public.fr/particuliers/vosdroits/F3" in texts[1]
    assert "« la suite »" in texts[2] and "http://gw/plans/tok" in texts[2]
    assert ".ics" not in texts[2]  # no event date, no calendar
    assert messages[-1].buttons == (Button("La suite", "/plan_next"),)
    assert messages[0].custom is not None and all(m.custom is None for m in messages[1:])
    assert all(len(t) <= WEB_MAX_CHARS for t in texts)


def test_later_page_has_no_summary() -> None:
    texts = [m.text for m in web_renderer().render([OutboundMessage(custom=plan(12, page=3))])]
    assert texts == [
        "Démarches 11 à 12 sur 12 :\nPapiers :\n11. Démarche 11\n   https://www.service-public.fr/particuliers/vosdroits/F11\n"
        "12. Démarche 12\n   https://www.service-public.fr/particuliers/vosdroits/F12",
        "Pour en savoir plus sur une démarche, écrivez par exemple « plus de détails sur la 11 ».\n"
        "Votre plan à imprimer : http://gw/plans/tok",
    ]


def test_long_titles_never_exceed_the_web_limit() -> None:
    payload = plan(5)
    for entry in payload["items"]:
        entry["title"] = "Très long intitulé " * 20
    messages = web_renderer().render([OutboundMessage(custom=payload)])
    assert all(len(m.text or "") <= WEB_MAX_CHARS for m in messages)
    joined = " ".join(m.text or "" for m in messages)
    assert all(f"vosdroits/F{i}" in joined for i in range(1, 6))


def test_plain_text_and_unknown_payloads_pass_through() -> None:
    renderer = web_renderer()
    assert renderer.render([OutboundMessage(text="Bonjour")]) == [OutboundMessage(text="Bonjour")]
    odd = OutboundMessage(text="x", custom={"type": "nothing-known"})
    assert renderer.render([odd]) == [odd]
    assert renderer.render([OutboundMessage(text="", buttons=())]) == []


def test_fiches_and_item_details() -> None:
    renderer = web_renderer()
    fiches = {
        "type": "fiches",
        "query": "rsa",
        "results": [
            {
                "fiche_id": "F1",
                "title": "RSA",
                "explanation": "Aide.",
                "url": "https://u/F1",
                "cerfa": ["15481*01"],
            }
        ],
    }
    text = renderer.render([OutboundMessage(custom=fiches)])[0].text or ""
    assert "RSA (formulaire cerfa n° 15481*01)" in text and "https://u/F1" in text
    detail = {"type": "plan_item", "item": {**item(3, "avant le 24 mars"), "chapter": "Dans le mois"}}
    text = renderer.render([OutboundMessage(custom=detail)])[0].text or ""
    assert text.startswith("3. Démarche 3\nQuand : avant le 24 mars (Dans le mois).")
    assert "Fiche officielle : https://www.service-public.fr/particuliers/vosdroits/F3" in text


def test_split_text_prefers_line_ends() -> None:
    text = "\n".join(f"ligne {i} " + "x" * 40 for i in range(60))
    parts = split_text(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join(p.replace("\n", "") for p in parts) == text.replace("\n", "")
    assert split_text("mot" * 500, 100)[0] == ("mot" * 500)[:100]


def test_other_channels_fall_back_to_web_templates() -> None:
    telegram = Renderer("telegram", 4096)
    payload = {"type": "handoff", "open_now": True, "position": 2, "opens_at": None}
    text = telegram.render([OutboundMessage(custom=payload)])[0].text or ""
    assert "position 2 dans la file d'attente" in text
    sms = Renderer("sms", 1000).render([OutboundMessage(custom=payload)])[0].text or ""
    assert "par SMS" in sms and len(sms) < 160


def references(count: int) -> dict[str, Any]:
    items = [
        {
            "fiche_id": f"F{i}",
            "title": f"Règle {i}",
            "url": f"https://www.service-public.fr/particuliers/vosdroits/F{i}",
        }
        for i in range(1, count + 1)
    ]
    return {"type": "plan_related", "items": [{**i, "group": "Logement"} for i in items]}


def test_the_last_page_offers_the_references_when_there_are_some() -> None:
    payload = plan(12, page=3)
    payload["related"] = references(2)["items"]
    text = "\n".join(m.text or "" for m in web_renderer().render([OutboundMessage(custom=payload)]))
    assert "D'autres fiches peuvent vous être utiles : écrivez « pour en savoir plus »." in text
    first = "\n".join(m.text or "" for m in web_renderer().render([OutboundMessage(custom=plan(12))]))
    assert "pour en savoir plus »" not in first  # only once the démarches are all shown


def test_references_are_listed_apart_from_the_demarches() -> None:
    messages = web_renderer().render([OutboundMessage(custom=references(3))])
    text = "\n".join(m.text or "" for m in messages)
    assert text.startswith(
        "Pour en savoir plus, ces fiches officielles expliquent des règles liées à votre situation"
    )
    assert "(ce ne sont pas des démarches à faire)" in text
    assert "- Règle 3\n  https://www.service-public.fr/particuliers/vosdroits/F3" in text
    nothing = "\n".join(m.text or "" for m in web_renderer().render([OutboundMessage(custom=references(0))]))
    assert nothing == "Je n'ai pas d'autre fiche à vous proposer pour votre situation."
