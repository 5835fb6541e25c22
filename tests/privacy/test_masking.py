"""Masking of personal data typed in free text."""

from __future__ import annotations

import pytest

from assistant.privacy.masking import mask, mask_all


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        ("écrivez-moi à jean.dupont+caf@exemple.fr merci", "email", "jean.dupont+caf@exemple.fr"),
        ("mon numéro 06 12 34 56 78", "phone", "06 12 34 56 78"),
        ("appelez le 0612345678 svp", "phone", "0612345678"),
        ("+33 6 12 34 56 78", "phone", "6 12 34 56 78"),
        ("tel: 01.45.67.89.10", "phone", "45.67.89.10"),
        ("mon NIR 1 85 05 78 006 084 36", "nir", "006 084"),
        ("secu 185057800608436", "nir", "185057800608436"),
        ("corse 2 85 05 2A 006 084 36", "nir", "006 084"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189", "iban", "3000 6000"),
        ("iban fr7630006000011234567890189", "iban", "30006000011234567890189"),
        ("j'habite au 12 bis rue des Lilas, 75011 Paris", "address", "rue des Lilas"),
        ("envoyé au 3 avenue Jean Jaurès", "address", "Jean Jaurès"),
        ("code postal 69003 Lyon", "address", "69003 Lyon"),
    ],
)
def test_each_kind_is_masked(text: str, kind: str, secret: str) -> None:
    masked, kinds = mask(text)
    assert secret not in masked
    assert kind in kinds
    assert "masqu" in masked


@pytest.mark.parametrize(
    "text",
    [
        "le formulaire cerfa 12100*02 est trop long",
        "j'ai 3 enfants et 2 chats",
        "la page 12 du formulaire",
        "article L. 262-2 du code",
        "en 2026, le délai était de 15 jours",
        "la notice n°51411 est illisible",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert mask(text) == (text, [])


def test_mask_all_keeps_none_and_merges_kinds() -> None:
    values, kinds = mask_all(["a@b.fr", None, "06 12 34 56 78", "rien"])
    assert values == ["[adresse e-mail masquée]", None, "[numéro de téléphone masqué]", "rien"]
    assert kinds == ["email", "phone"]
