"""Plans read by hand from the fiches' content trees (data/kb/situations.json).

A plan lists the fiches linked from the content whose conditions hold, in document order, each
fiche once, the situation's own fiche left out; steps with a deadline come first (none here).
"""

from __future__ import annotations

# F1700 "Je souhaite travailler dans l'administration": no question, no condition, no deadline. Its
# démarches only; the rest of its links are explanations ("À savoir : un étranger peut avoir accès …",
# the lists of métiers and concours to read about), the plan's references.
WORK_IN_ADMINISTRATION = [
    "F13272",  # "il faut remplir certaines conditions"
    "R31528",  # Je veux postuler sans concours: Pôle emploi's offers
    "R51187", "F35145",  # Je veux postuler comme agent non titulaire
]  # fmt: skip
_READING = "Je me renseigne sur les différentes fonctions publiques, métiers, modes d'accès"
_CONCOURS = "Je veux passer un concours pour devenir fonctionnaire"
WORK_IN_ADMINISTRATION_RELATED = [
    *((fid, _READING) for fid in ("F12219", "F434", "F18933", "F32810", "F13117", "F637")),
    ("F1591", _CONCOURS), ("F430", _CONCOURS),
    ("F12686", "Je veux postuler à un emploi de fonctionnaire sans concours"),
    ("F2304", "Je veux travailler en tant qu'intérimaire"),
]  # fmt: skip

# F34635 "Je pars de chez mes parents": no question; 36 démarches, in its chapters' order (pages of 15,
# 15 and 6). A snapshot of the plan as reviewed on 2026-12-06, chapter by chapter.
LEAVING_HOME = [
    "F31912", "R16390", "F18490", "F31267", "F32320", "F34661", "N292", "F34759", "F375", "R51424",
    "F31269", "F1334", "F10007", "F869", "R48954", "R34754", "R46640",  # Type de logement
    "N20278", "F947",  # Chauffage, eau, électricité et internet
    "F1563", "R1292", "R2972", "R41686",  # Aide au logement
    "F31300",  # Assurance du logement
    "R14213",  # Transfert du courrier
    "F274", "F22730",  # Impôts
    "F163",  # Santé
    "R11193", "F12118", "F1372", "F1241", "F1937", "N110", "R51788",  # Si mon emménagement est définitif
    "F33997",  # Choisir le mode de déménagement
]  # fmt: skip

# F14128 "Je déménage", tenant (T10280), French (T10330), with children (T10285), private-sector
# employee (T10313): the "Propriétaire" cases, the EU and foreigner cases, the retired (T10327)
# and job-seeker (T10324) fragments and the public-agent (T10323) case are hidden; "Papiers à
# conserver" (F19134, "À noter") and the separated parents' fiche (F18786, "Attention : en cas de
# séparation") are references.
MOVING_TENANT = [
    "F1168", "F33671", "F10696", "F31269",  # Démarches liées au logement actuel: Locataire
    "F1881", "F10720", "F20393", "F601",  # Enfants
    "F33997",  # Choisir le mode de déménagement
    "F1334", "F2008",  # Aides financières (F2008: at least 3 children, T10285)
    "N20278",  # Eau, électricité…
    "R14213",  # Transfert du courrier
    "R11193", "F383", "F22730", "F31001", "F31661", "F827", "F737", "F23671",  # Changement d'adresse
    "F10827", "F2595",  # Banque - Assurance: Locataire
    "F12118", "F33425", "F33536",  # Carte grise
    "N358", "N360", "F1241", "F1372", "R51788",  # Papiers d'identité: Je suis Français
    "R31831",  # Animaux domestiques
    "F163",  # Santé
]  # fmt: skip

# The delays the fiches give, said in words while the move's date is unknown.
MOVING_DEADLINES = {
    "F1168": "pouvant aller de 1 à 3 mois avant le déménagement",  # the tenant's notice
    "F1881": "dans les 8 jours qui suivent le changement de domicile",  # school
    "F2008": "dans les 6 mois qui suivent le déménagement",  # prime de déménagement
    "F10827": "dans les 15 jours qui suivent la date à laquelle vous quittez",  # home insurance
    "F12118": "dans le mois qui suit votre déménagement",  # carte grise
}
MOVING_RELATED = [("F19134", "Démarches liées au logement actuel"), ("F18786", "Enfants")]

# The same person as an owner (T10281): the copropriété fiche instead of the tenant's four, and the
# owner's home insurance instead of the tenant's.
MOVING_OWNER = [
    "F2604",
    *MOVING_TENANT[4:21],
    "F10830", "F2595",
    *MOVING_TENANT[23:],
]  # fmt: skip
