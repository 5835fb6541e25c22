"""Plans read by hand from the fiches' content trees (data/kb/situations.json).

A plan lists the fiches linked from the content whose conditions hold, in document order, each
fiche once, the situation's own fiche left out; steps with a deadline come first (none here).
"""

from __future__ import annotations

# F1700 "Je souhaite travailler dans l'administration": no question, no condition, no deadline.
WORK_IN_ADMINISTRATION = [
    "F13272", "F12219",  # Qui peut y accéder ?
    "F434", "F18933", "F32810", "F13117", "F637",  # Comment y accéder ? (F18933 again: already listed)
    "F1591", "F430",  # Je veux passer un concours (the same links in the FPT and FPH cases)
    "F12686", "R31528",  # Je veux postuler sans concours
    "R51187", "F35145",  # Je veux postuler comme agent non titulaire (R31528 again)
    "F2304",  # Je veux travailler en tant qu'intérimaire
]  # fmt: skip

# F14128 "Je déménage", tenant (T10280), French (T10330), with children (T10285), private-sector
# employee (T10313): the "Propriétaire" cases, the EU and foreigner cases, the retired (T10327)
# and job-seeker (T10324) fragments and the public-agent (T10323) case are hidden.
MOVING_TENANT = [
    "F1168", "F33671", "F10696", "F31269", "F19134",  # Démarches liées au logement actuel: Locataire
    "F1881", "F10720", "F20393", "F601", "F18786",  # Enfants
    "F33997",  # Choisir le mode de déménagement
    "F1334", "F2008",  # Aides financières (F2008: at least 3 children, T10285)
    "N20278",  # Eau, électricité…
    "R14213",  # Transfert du courrier
    "R11193", "F383", "F22730", "F31001", "F31661", "F827", "F737", "F23671",  # Changement d'adresse
    "F10827", "F2595",  # Banque - Assurance: Locataire
    "F12118", "F33425", "F33536",  # Carte grise (R11193 again)
    "N358", "N360", "F1241", "F1372", "R51788",  # Papiers d'identité: Je suis Français
    "R31831",  # Animaux domestiques
    "F163",  # Santé
]  # fmt: skip

# The same person as an owner (T10281): the copropriété fiche instead of the tenant's four, and the
# owner's home insurance instead of the tenant's.
MOVING_OWNER = [
    "F2604", "F19134",
    *MOVING_TENANT[5:23],
    "F10830", "F2595",
    *MOVING_TENANT[25:],
]  # fmt: skip
