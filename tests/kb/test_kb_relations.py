"""Who the person is: démarches and references, relations read from words, labels in the feminine."""

from __future__ import annotations

import pytest

from assistant.kb.relations import CHILD, SPOUSE, feminine, read_relation, requirement
from assistant.kb.roles import DEMARCHE, REFERENCE, link_role

REL, GENRE = "F16507-rel", "F16507-genre"


@pytest.mark.parametrize(
    ("text", "relation", "gender"),
    [
        ("ma mère est décédée hier", "c2", "c2"),
        ("mon papa est mort cette nuit", "c2", "c1"),
        ("mon mari est décédé", "c1", "c1"),
        ("ma femme est partie dimanche", "c1", "c2"),
        ("décès de mon bébé", "c3", None),
        ("ma fille est décédée", "c3", "c2"),
        ("mon grand-père est décédé", "c4", "c1"),
        ("ma belle-mère est morte", "c4", "c2"),
        ("ma petite soeur", "c4", "c2"),  # typed where the relation is asked
        ("deces papa", "c2", "c1"),  # words that need no "mon"
        ("maman est morte hier", "c2", "c2"),
        ("mon mari vient de mourir", "c1", "c1"),
        ("décès de mamie", "c4", "c2"),
    ],
)
def test_the_relation_is_read_from_the_words(text: str, relation: str, gender: str | None) -> None:
    found = read_relation("F16507", text, asked=REL if "soeur" in text else None)
    assert found[REL] == f"{REL}-{relation}"
    assert found.get(GENRE) == (f"{GENRE}-{gender}" if gender else None)


@pytest.mark.parametrize(
    "text",
    [
        "un proche est décédé",
        "décès d'un proche",
        "je déménage avec ma mère",
        "il était hébergé chez ma sœur",
    ],
)
def test_no_relation_without_kinship_words(text: str) -> None:
    situation = "F14128" if "déménage" in text else "F16507"
    assert read_relation(situation, text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le défunt était retraité", "La défunte était retraitée"),
        ("Le défunt était demandeur d'emploi", "La défunte était demandeuse d'emploi"),
        ("Le défunt était propriètaire", "La défunte était propriétaire"),
        ("Situation du défunt (logement)", "Situation de la défunte (logement)"),
        ("Triez les papiers administratifs du défunt", "Triez les papiers administratifs de la défunte"),
        ("Le décès a eu lieu en France", "Le décès a eu lieu en France"),
    ],
)
def test_labels_in_the_feminine(text: str, expected: str) -> None:
    assert feminine(text) == expected


@pytest.mark.parametrize(
    ("sentence", "lead", "expected"),
    [
        ("Vous devez déclarer le décès à la mairie du lieu où a eu lieu le décès.", None, DEMARCHE),
        ("Demandez une copie de l'acte de décès", None, DEMARCHE),
        ("Interrogez l'association Agira pour savoir si le défunt avait une assurance vie.", None, DEMARCHE),
        ("Je transmets ma déclaration de grossesse et je me renseigne sur la prime", None, DEMARCHE),
        ("Dans certains cas, vous pouvez demander à accéder au dossier médical du défunt.", None, REFERENCE),
        ("À savoir : si le défunt était pacsé, la mairie se charge d'informer.", None, REFERENCE),
        ("les ventes en viager du défunt.", "Le tri permet de faire le point sur :", REFERENCE),
        ("établit un acte de décès,", "À la suite de la déclaration de décès, la mairie :", REFERENCE),
        ("le versement du capital décès", "Demandez à la caisse d'assurance maladie :", DEMARCHE),
        (
            "l'allocation veuvage,",
            "Demandez les aides auxquelles vous pouvez peut-être prétendre :",
            REFERENCE,
        ),
        ("Si la vente ne se réalise pas, je peux annuler le prêt.", None, REFERENCE),
        ("Si je ne l'ai pas encore fait, je déclare mon changement de situation.", None, DEMARCHE),
        ("Je bénéficie d'une protection contre le licenciement.", None, REFERENCE),
        ("ils peuvent librement entrer et vivre en France.", None, REFERENCE),
    ],
)
def test_demarches_and_references(sentence: str, lead: str | None, expected: str) -> None:
    assert link_role(sentence, lead) == expected


def test_links_written_for_one_relation() -> None:
    spouse_lead = "En cas de décès de votre époux(se), vous pouvez demander à sa caisse de retraite :"
    assert requirement("F16507", "le versement d'une pension de réversion,", spouse_lead, "") == SPOUSE
    assert (
        requirement("F16507", "l'allocation veuvage,", "Demandez les aides :", "Allocation veuvage") == SPOUSE
    )
    leave = (
        "Si vous êtes salarié, vous pouvez demander un congé. Le nombre de jours varie (décès d'un enfant…)."
    )
    assert (
        requirement("F16507", leave, "", "Autorisation d'absence pour décès d'un membre de la famille")
        is None
    )
    assert (
        requirement("F16507", leave, "", "Don de jours de repos à un salarié dont l'enfant est décédé")
        == CHILD
    )
    assert requirement("F33362", "Votre conjoint peut demander une prestation", "", "") is None


def test_a_relative_named_without_a_death_answers_only_the_relation_question() -> None:
    assert read_relation("F16507", "ma petite soeur") == {}
    assert read_relation("F16507", "ma petite soeur", asked=REL) == {REL: f"{REL}-c4", GENRE: f"{GENRE}-c2"}
