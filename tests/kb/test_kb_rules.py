"""The rules engine against what the fiches' own ``Condition`` blocks select."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.kb import KnowledgeBase, KnowledgeBaseError
from assistant.kb.conditions import Condition, evaluate, parse_condition


def _plan_ids(kb: KnowledgeBase, situations: list[str], answers: dict[str, str]) -> set[str]:
    return {item.fiche_id for item in kb.plan(situations, answers).items}


def _open(kb: KnowledgeBase, situations: list[str], answers: dict[str, str]) -> list[str]:
    return [question.id for question in kb.plan(situations, answers).open_questions]


# -- Je déménage (F14128) -----------------------------------------------------------------------------
def test_moving_tenant_versus_owner(kb: KnowledgeBase) -> None:
    tenant = _plan_ids(kb, ["F14128"], {"F14128-q1": "F14128-q1-c1"})
    owner = _plan_ids(kb, ["F14128"], {"F14128-q1": "F14128-q1-c2"})
    assert "F1168" in tenant and "F2604" not in tenant and "F10830" not in tenant
    assert "F2604" in owner and "F10830" in owner and "F1168" not in owner


def test_moving_children_and_job(kb: KnowledgeBase) -> None:
    answers = {"F14128-q3": "F14128-q3-c1", "F14128-q4": "F14128-q4-c2"}
    with_children = _plan_ids(kb, ["F14128"], answers)
    assert {"F10720", "F601", "F34539"} <= with_children
    # "Attention : en cas de séparation, il faut alerter l'autre parent…": to read, not to do
    assert "F18786" not in with_children
    assert "F18786" in {item.fiche_id for item in kb.plan(["F14128"], answers).related}
    without = _plan_ids(kb, ["F14128"], {"F14128-q3": "F14128-q3-c2", "F14128-q4": "F14128-q4-c4"})
    assert not {"F10720", "F18786", "F601", "F34539"} & without
    assert "F1637" in _plan_ids(kb, ["F14128"], {"F14128-q4": "F14128-q4-c3"})


def test_moving_on_the_real_knowledge_base(real_kb: KnowledgeBase) -> None:
    tenant = _plan_ids(real_kb, ["F14128"], {"F14128-q1": "F14128-q1-c1"})
    owner = _plan_ids(real_kb, ["F14128"], {"F14128-q1": "F14128-q1-c2"})
    assert {"F1168", "F33671", "F31269"} <= tenant and "F2604" not in tenant
    assert "F2604" in owner and not {"F1168", "F33671", "F31269"} & owner
    assert "F2504" in _plan_ids(real_kb, ["F14128"], {"F14128-q4": "F14128-q4-c4"})  # retraité


# -- J'attends un enfant (F16225) ---------------------------------------------------------------------
def test_expecting_a_child_with_or_without_a_job(kb: KnowledgeBase) -> None:
    employed = _plan_ids(kb, ["F16225"], {"F16225-q2": "F16225-q2-c1"})
    jobless = _plan_ids(kb, ["F16225"], {"F16225-q2": "F16225-q2-c2"})
    assert "F1144" in employed and "F1637" not in employed
    assert "F1637" in jobless and "F1144" not in jobless


def test_expecting_a_child_on_the_real_knowledge_base(real_kb: KnowledgeBase) -> None:
    answers = {"F16225-q1": "F16225-q1-c1", "F16225-q2": "F16225-q2-c2", "F16225-q3": "F16225-q3-c1"}
    plan = _plan_ids(real_kb, ["F16225"], answers)
    assert {"F15292", "F1637", "F1317", "F21051", "F961"} <= plan
    assert "F1144" not in plan
    other = _plan_ids(real_kb, ["F16225"], {"F16225-q1": "F16225-q1-c2", "F16225-q3": "F16225-q3-c2"})
    assert not {"F15292", "F1317", "F21051"} & other


# -- Décès d'un proche (F16507) -----------------------------------------------------------------------
def test_death_in_france_or_abroad(kb: KnowledgeBase) -> None:
    in_france = _plan_ids(kb, ["F16507"], {"F16507-q1": "F16507-q1-c1"})
    abroad = _plan_ids(kb, ["F16507"], {"F16507-q1": "F16507-q1-c2", "F16507-q2": "F16507-q2-c1"})
    assert "F909" in in_france and "F911" not in in_france
    assert "F911" in abroad and "F909" not in abroad
    # The deceased's nationality only matters for a death abroad.
    assert "F16507-q2" not in _open(kb, ["F16507"], {"F16507-q1": "F16507-q1-c1"})
    assert "F16507-q2" in _open(kb, ["F16507"], {"F16507-q1": "F16507-q1-c2"})


def test_death_depends_on_the_deceased_activity(kb: KnowledgeBase) -> None:
    civil_servant = _plan_ids(kb, ["F16507"], {"F16507-q4": "F16507-q4-c3"})
    employee = _plan_ids(kb, ["F16507"], {"F16507-q4": "F16507-q4-c2"})
    assert "F1544" in civil_servant and "F3005" not in civil_servant
    assert "F3005" in employee and "F1544" not in employee


# -- Je me sépare (F33362) ----------------------------------------------------------------------------
def test_separation_married_tenant_with_children(kb: KnowledgeBase) -> None:
    answers = {"F33362-q1": "F33362-q1-c1", "F33362-q2": "F33362-q2-c1", "F33362-q3": "F33362-q3-c1"}
    assert _plan_ids(kb, ["F33362"], answers) == {"F1159", "F1168"}
    # "Un divorce entraîne des conséquences …, notamment : le droit de visite": an explanation
    assert "F18786" in {item.fiche_id for item in kb.plan(["F33362"], answers).related}
    assert _open(kb, ["F33362"], answers) == []


def test_separation_pacs_owner_without_children(kb: KnowledgeBase) -> None:
    answers = {"F33362-q1": "F33362-q1-c2", "F33362-q2": "F33362-q2-c2", "F33362-q3": "F33362-q3-c2"}
    assert _plan_ids(kb, ["F33362"], answers) == {"F1620"}
    free_union = kb.plan(["F33362"], {"F33362-q1": "F33362-q1-c3"})
    assert free_union.items == [] and {i.fiche_id for i in free_union.related} == {"F18766"}


# -- Unanswered questions -----------------------------------------------------------------------------
def test_unanswered_content_is_hidden_and_its_question_open(kb: KnowledgeBase) -> None:
    plan = kb.plan(["F33362"], {})
    assert plan.items == []  # every tab depends on the couple's status
    assert [q.id for q in plan.open_questions] == ["F33362-q1", "F33362-q2", "F33362-q3"]
    assert _open(kb, ["F33362"], {"F33362-q1": "F33362-q1-c3"}) == ["F33362-q3"]


def test_open_questions_only_when_they_change_the_plan(real_kb: KnowledgeBase) -> None:
    assert _open(real_kb, ["F14128"], {}) == ["F14128-q1", "F14128-q2", "F14128-q3", "F14128-q4"]
    everything = {"F14128-q1": "F14128-q1-c1", "F14128-q2": "F14128-q2-c1", "F14128-q3": "F14128-q3-c2"}
    assert _open(real_kb, ["F14128"], everything) == ["F14128-q4"]


# -- Several situations -------------------------------------------------------------------------------
def test_equivalent_questions_are_shared_and_items_deduplicated(kb: KnowledgeBase) -> None:
    answers = {"F14128-q1": "F14128-q1-c1", "F14128-q3": "F14128-q3-c1"}
    plan = kb.plan(["F14128", "F33362"], answers)
    ids = [item.fiche_id for item in plan.items]
    assert ids.count("F1168") == 1
    assert next(item for item in plan.items if item.fiche_id == "F1168").situation_id == "F14128"
    # "Votre logement" and "Avez-vous des enfants" of F33362 were answered through F14128.
    assert [q.id for q in plan.open_questions] == ["F14128-q4", "F33362-q1"]


def test_variables_are_not_shared_between_different_questions(real_kb: KnowledgeBase) -> None:
    # "Locataire" in F14128 is the user; in F16507 it is the deceased (3 choices): still open.
    plan = real_kb.plan(["F14128", "F16507"], {"F14128-q1": "F14128-q1-c1"})
    assert "F16507-q3" in [q.id for q in plan.open_questions]


def test_dated_plan_sorted_by_urgency(real_kb: KnowledgeBase) -> None:
    answers = {"F16507-q1": "F16507-q1-c1", "F14128-q1": "F14128-q1-c1"}
    plan = real_kb.plan(["F14128", "F16507"], answers, event_date=date(2025, 3, 10))
    first = plan.items[0]  # chapters with a timing heading first, the most urgent first
    assert first.situation_id == "F16507" and first.fiche_id == "F909" and first.timing is not None
    # F909's own words: "dans les 24 heures qui suivent sa constatation, hors week-ends et jours fériés"
    assert first.timing.unit == "business_day"
    assert first.due_date == date(2025, 3, 11) and first.due_label == "avant le 11 mars 2025"
    assert first.chapter == first.group == "Dans les 24 heures : constat et déclaration du décès"
    assert first.url.startswith("https://www.service-public.fr/particuliers/vosdroits/")
    assert first.explanation and len(first.explanation) <= 221
    groups = [(item.situation_id, item.group) for item in plan.items]
    runs = [key for i, key in enumerate(groups) if i == 0 or groups[i - 1] != key]
    assert len(runs) == len(set(runs)), "a chapter's démarches are listed together"
    headed = [item.group_timing is not None for item in plan.items]
    assert (
        headed[0] and not headed[-1] and headed == sorted(headed, reverse=True)
    )  # chapters without a timing last
    assert json.loads(json.dumps(plan.to_dict()))["event_date"] == "2025-03-10"


def test_bad_plan_requests(kb: KnowledgeBase) -> None:
    with pytest.raises(KnowledgeBaseError, match="Situation inconnue"):
        kb.plan(["F0"], {})
    with pytest.raises(KnowledgeBaseError, match="Question inconnue"):
        kb.plan(["F14128"], {"F14128-q9": "F14128-q9-c1"})
    with pytest.raises(KnowledgeBaseError, match="Choix inconnu"):
        kb.plan(["F14128"], {"F14128-q1": "F14128-q2-c1"})


# -- Conditions ---------------------------------------------------------------------------------------
def _var(op: str, name: str) -> Condition:
    return Condition(op=op, var=name)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (_var("estVrai", "A"), True),
        (_var("estFaux", "A"), False),
        (_var("estFaux", "B"), True),
        (_var("estVrai", "P"), None),  # pending: unknown
        (_var("estVrai", "Z"), False),  # no question can set it: false
        (_var("estFaux", "Z"), True),
        (_var("estIndefini", "P"), True),
        (_var("estIndefini", "A"), False),
        (Condition("non", args=(_var("estVrai", "B"),)), True),
        (Condition("non", args=(_var("estVrai", "P"),)), None),
        (Condition("ou", args=(_var("estVrai", "P"), _var("estVrai", "A"))), True),
        (Condition("ou", args=(_var("estVrai", "P"), _var("estVrai", "B"))), None),
        (Condition("et", args=(_var("estVrai", "P"), _var("estVrai", "B"))), False),
        (Condition("et", args=(_var("estVrai", "A"), _var("estFaux", "B"))), True),
        (Condition("et", args=(_var("estVrai", "A"), Condition("ou", args=(_var("estVrai", "P"),)))), None),
    ],
)
def test_three_valued_evaluation(condition: Condition, expected: bool | None) -> None:
    assert evaluate(condition, {"A": True, "B": False}, frozenset({"P"})) is expected


def test_parse_condition_shapes() -> None:
    def leaf(op: str, var: str) -> dict[str, object]:
        return {"type": "element", "name": op, "attributes": {"var": var}}

    nested = {
        "type": "element",
        "name": "Condition",
        "children": [
            {"type": "element", "name": "non", "children": [leaf("estFaux", "T1")]},
            {"type": "element", "name": "ou", "children": [leaf("estVrai", "T2"), leaf("estIndefini", "T3")]},
        ],
    }
    parsed = parse_condition(nested, "F1")
    assert parsed.op == "et" and parsed.variables() == {"T1", "T2", "T3"}
    assert Condition.from_dict(parsed.to_dict()) == parsed
    with pytest.raises(KnowledgeBaseError, match="F1 : élément de condition inconnu <peutEtre>"):
        parse_condition({"type": "element", "name": "Condition", "children": [leaf("peutEtre", "T1")]}, "F1")
    with pytest.raises(KnowledgeBaseError, match="F1 : <Condition> vide"):
        parse_condition({"type": "element", "name": "Condition", "children": []}, "F1")
