"""The event each life situation is dated from, as the fiches write it (accent-folded words).

A deadline inside a sentence counts for a situation only when it is relative to that situation's
event: "dans les 24 heures qui suivent la constatation du décès" dates a death's démarche, "dans les 8
jours suivant sa demande" does not. Situations with no single dated event (an association's life, a
job search) have no words: their plans keep the timing of their chapter headings only.
"""

from __future__ import annotations

_MOVE = (
    "demenagement", "demenage", "changement de domicile", "changement d'adresse", "ancien logement",
    "ancien domicile", "emmenagement", "nouveau domicile", "nouvelle adresse", "quittez", "quitter",
    "changements concernant votre situation",
)  # fmt: skip

EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "F16507": ("deces", "constatation", "mort"),  # Je dois faire face au décès d'un proche
    "F14128": _MOVE,  # Je déménage
    "F34635": _MOVE,  # Je pars de chez mes parents
    "F16225": ("naissance", "accouchement"),  # J'attends un enfant
    "F15913": ("achat", "vente", "acte de vente", "acte authentique", "signature de l'acte"),
    "F16123": ("offre", "reception de l'offre"),  # Je veux obtenir un crédit immobilier
    "F17904": ("depart", "date de depart", "depart a la retraite"),  # Je prépare ma retraite
    "F2485": ("depart", "installation"),  # Je pars vivre à l'étranger
    "F32823": (
        "retour",
        "retour en france",
        "installation",
        "depart",
    ),  # leaving the country abroad  # Je reviens vivre en France
    "F33362": ("separation", "jugement", "divorce"),  # Je me sépare
    "F23697": ("embauche",),  # Déclarer vos salariés
    "F33794": ("embauche", "ouverture"),  # Ouvrir un restaurant
    "F23571": ("ouverture", "debut d'activite"),  # Ouvrir un commerce
    "F32886": ("signature des statuts", "creation", "immatriculation"),  # Créer une société
    "F23961": ("debut d'activite", "creation"),  # Devenir micro-entrepreneur
    "F3109": ("creation", "declaration", "assemblee"),  # Je crée une association
    "F31613": ("manifestation", "evenement", "vente au deballage"),  # L'association organise un événement
}


def event_words(situation_id: str) -> tuple[str, ...]:
    return EVENT_WORDS.get(situation_id, ())
