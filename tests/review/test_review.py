"""The review queue over HTTP: what enters it, labelling by an agent, the Rasa NLU export (masked)."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from tests.conftest import add_agent
from tests.satisfaction.conftest import Chat


def test_label_discard_and_export(client: TestClient, tmp_path: Path) -> None:
    agent = {"Authorization": "Bearer " + add_agent(client, "relectrice")}
    admin = {"Authorization": "Bearer " + add_agent(client, "superviseur", role="admin")}
    first, second = Chat(client), Chat(client)
    first.send("on déménage en mars, écrivez à jean.dupont@exemple.fr")  # misunderstood
    first.send("ma carte vitale est perdue")  # misunderstood
    second.send("je déménage")
    second.send("bof")  # misunderstood
    second.send("merci")
    second.send(payload="csat:1")  # negative: the first request enters the queue

    assert client.get("/api/review").status_code == 401
    queue = client.get("/api/review", headers=agent).json()
    assert queue["total"] == 4
    by_text = {i["text"]: i for i in queue["items"]}
    masked = "on déménage en mars, écrivez à [adresse e-mail masquée]"
    assert set(by_text) == {masked, "ma carte vitale est perdue", "bof", "je déménage"}
    assert by_text["je déménage"]["source"] == "csat_negative" and by_text[masked]["masked"] == ["email"]

    def post(item: str, action: str, body: dict[str, str] | None = None) -> int:
        response = client.post(f"/api/review/{by_text[item]['id']}/{action}", json=body, headers=agent)
        return response.status_code

    assert post(masked, "label", {"kind": "situation", "label": "F14128"}) == 200
    assert post("ma carte vitale est perdue", "label", {"kind": "fiche", "label": "F10"}) == 200
    assert post("je déménage", "label", {"kind": "intent", "label": "ask_human"}) == 200
    assert post("bof", "discard") == 200
    assert post("bof", "label", {"kind": "situation", "label": "14128"}) == 422
    assert post("bof", "label", {"kind": "mood", "label": "F1"}) == 422
    assert client.post("/api/review/999999/discard", headers=agent).status_code == 404
    assert client.post("/api/review/99999999999/discard", headers=agent).status_code == 422
    assert client.get("/api/review?status=late", headers=agent).status_code == 422

    labelled = client.get("/api/review?status=labelled", headers=agent).json()
    assert labelled["total"] == 3 and {i["reviewed_by"] for i in labelled["items"]} == {"relectrice"}
    assert client.get("/api/review?status=open", headers=agent).json()["total"] == 0

    assert client.get("/api/review/export.yml", headers=agent).status_code == 403
    export = client.get("/api/review/export.yml", headers=admin)
    assert export.headers["content-type"].startswith("application/x-yaml")
    assert "exemple.fr" not in export.text and "bof" not in export.text
    data = yaml.safe_load(export.text)
    assert data["version"] == "3.1"
    assert {e["intent"]: e["examples"] for e in data["nlu"]} == {
        "ask_demarche": [{"text": "ma carte vitale est perdue", "metadata": {"fiche": "F10"}}],
        "ask_human": [{"text": "je déménage"}],
        "situation_F14128": [{"text": masked}],
    }
    # Rasa reads it as training data, ready for data/nlu.
    from rasa.shared.nlu.training_data.loading import load_data

    path = tmp_path / "review.yml"
    path.write_text(export.text, encoding="utf-8")
    training = load_data(str(path))
    assert sorted(m.get("intent") for m in training.training_examples) == [
        "ask_demarche", "ask_human", "situation_F14128",
    ]  # fmt: skip
