"""Reading a report in plain words: who sent a letter, what kind of document it is, what is hard.

People name the sender as they know it ("la caf", "les impôts", "la sécu", "pôle emploi"): the
table below gives the organisation's usual name for the aliases people write; any other sender
after "de la / du / des / de l'" is kept as written ("un courrier du tribunal de Lyon").
"""

from __future__ import annotations

import re

from assistant.french.folding import fold

# usual name -> aliases, folded (no accents, lowercase)
SENDERS: dict[str, tuple[str, ...]] = {
    "Caisse d'allocations familiales (Caf)": ("caf", "allocations familiales", "alloc"),
    "Caisse primaire d'assurance maladie (CPAM)": (
        "cpam", "secu", "securite sociale", "assurance maladie", "ameli", "caisse primaire",
    ),
    "Impôts (DGFiP)": (
        "impots", "impot", "finances publiques", "dgfip", "tresor public", "fisc", "tresorerie",
        "imposition", "taxe fonciere", "taxe d habitation",
    ),
    "Urssaf": ("urssaf",),
    "France Travail (ex-Pôle emploi)": ("pole emploi", "france travail", "chomage"),
    "Mairie": ("mairie", "maire"),
    "Préfecture": ("prefecture", "sous-prefecture"),
    "Agence nationale des titres sécurisés (ANTS)": ("ants",),
    "Mutualité sociale agricole (MSA)": ("msa",),
    "Caisse de retraite (Carsat, Cnav)": ("carsat", "cnav", "caisse de retraite", "assurance retraite"),
    "Tribunal": ("tribunal",),
    "Bailleur social (HLM)": ("hlm", "office hlm", "bailleur"),
    "Maison départementale des personnes handicapées (MDPH)": ("mdph",),
    "Conseil départemental": ("conseil departemental", "departement"),
    "Crous": ("crous",),
}  # fmt: skip
_FOLDED = sorted(
    ((alias, name) for name, aliases in SENDERS.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)
_AFTER_OF = re.compile(r"\b(?:de la|de l|du|des|de)\s+((?:[a-z0-9-]+\s*){1,3})")
_STOP = {"est", "qui", "que", "je", "j", "il", "elle", "c", "pour", "sur", "a", "et", "mais", "trop", "pas"}
_LETTER = re.compile(r"\b(courrier|lettre|mail|e-mail|email|courriel|sms|notification|avis)\b")
_EMAIL = re.compile(r"\b(mail|e-mail|email|courriel)\b")

PREFIX_LETTERS = 5
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "jargon": ("mot", "mots", "vocabulaire", "jargon", "termes", "comprends rien", "comprend rien",
               "comprends pas", "comprend pas", "incomprehensible", "charabia", "technique"),
    "too_long": ("long", "longue", "pages", "interminable", "trop de questions"),
    "missing_info": ("manque", "manquant", "contradictoire", "contradiction", "contraire", "contraires",
                     "se contredisent", "pas coherent", "pas explique",
                     "aucune explication", "on ne sait pas", "pas dit"),
    "unclear_documents": ("pieces", "piece", "justificatif", "justificatifs", "papiers a fournir",
                          "documents a fournir", "quels papiers"),
    "hard_to_fill": ("remplir", "illisible", "lire", "ecrit petit", "ecrit trop petit", "site",
                     "en ligne", "bug", "bugue", "case", "cases", "cocher", "imprimer"),
}  # fmt: skip


def sender_of(text: str) -> str | None:
    """The organisation that sent or asks for the document, when the text names one."""
    folded = " " + " ".join(re.findall(r"[a-z0-9-]+", fold(text))) + " "
    for alias, name in _FOLDED:
        if f" {alias} " in folded:
            return name
    match = _AFTER_OF.search(folded)
    if match and _LETTER.search(folded):
        kept: list[str] = []
        for word in match.group(1).split():
            if word in _STOP:
                break
            kept.append(word)
        if kept:
            return " ".join(kept)
    return None


def letter_kind(text: str) -> str | None:
    """ "letter" or "email" when the text speaks of a letter, a mail or a notice received."""
    folded = fold(text)
    if _EMAIL.search(folded):
        return "email"
    return "letter" if _LETTER.search(folded) else None


def categories_in(text: str) -> list[str]:
    """The difficulties a typed answer names ("c'est trop long et y a des mots que je comprends
    pas" -> too_long, jargon), in the order of `CATEGORY_WORDS`."""
    folded = " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "
    return [key for key, cues in CATEGORY_WORDS.items() if any(_said(cue, folded) for cue in cues)]


def _said(cue: str, folded: str) -> bool:
    """The cue as a word, or, from five letters, as the start of one ("manquant" in "manquantes")."""
    return f" {cue} " in folded or (len(cue) >= PREFIX_LETTERS and f" {cue}" in folded)
