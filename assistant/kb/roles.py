"""What a link in a situation fiche is: a démarche for the person, or a reference to read.

A situation fiche links to other fiches in two ways. Some sentences ask the person to do something
("Vous devez déclarer le décès à la mairie", "Demandez une copie de l'acte de décès", a list under
"Demandez à la caisse d'assurance maladie :"): their links are **démarches**, the plan. Others explain
("À savoir : …", "Dans certains cas, …", "Le tri permet de faire le point sur : … les ventes en
viager"): their links are **references**, listed apart as "pour en savoir plus".

A link can also be written for one kind of person only ("En cas de décès de votre époux(se), vous
pouvez demander … une pension de réversion"; "Don de jours de repos à un salarié dont l'enfant est
décédé"): :mod:`assistant.kb.relations` gives it the variable that must hold for it to apply.

Rules read the accent-folded sentence, the list's lead sentence for list items, and the linked
fiche's title. They were written from the 25 situation fiches of the package and are checked by
``tests/kb/plan_cases.yml``, written by hand from the fiches by someone who had not seen them.
"""

from __future__ import annotations

import re

from assistant.french.folding import fold

DEMARCHE, REFERENCE = "demarche", "reference"

_NOTE = re.compile(
    r"^(?:a savoir|a noter|attention|rappel|voir aussi|pour en savoir plus|pour plus d'informations?|"
    r"exemple|precision)\b"
)
_EXPLANATORY = re.compile(
    r"\b(?:dans certains cas|dans certaines situations|sous certaines conditions|le cas echeant|"
    r"en cas de (?:desaccord|litige|conflit)|"
    r"peut-etre|pour tout savoir|a titre d'information)\b"
)
_ACTION = re.compile(
    r"\b(?:vous devez|vous pouvez|vous (?:de|pou)vrez|il faut|il est (?:obligatoire|conseille|recommande)|"
    r"je dois|je peux|je (?:pourrai|devrai)|doit etre|doivent etre|obligatoire|pensez a|n'oubliez pas|"
    r"demandez|informez|declarez|faites|contactez|triez|adressez|envoyez|prevenez|signalez|inscrivez|"
    r"effectuez|resiliez|souscrivez|verifiez|consultez|preparez|choisissez|renseignez|rapprochez|"
    r"saisissez|transmettez|remplissez|deposez|prenez|mettez|modifiez|changez|retirez|sollicitez|"
    r"j'informe|je m'[a-z]+|je me (?!renseigne)[a-z]+|"
    r"je (?!suis\b|serai\b|n'|ne\b|vis\b|vais\b|beneficie\b|dispose\b|percois\b|recois\b|touche\b|"
    r"souhaite\b|veux\b|desire\b)[a-z]+(?:e|s|is|ai|rai)\b|"
    r"obligation de|il est possible|les (?:epoux|partenaires|concubins|parents) (?:peuvent|doivent)|"
    r"(?:^|[,:;] )(?!chez\b|assez\b)[a-z]{3,}ez\b)"
)
_INFINITIVE_STEP = re.compile(
    r"^(?:faire|choisir|demander|declarer|deposer|obtenir|effectuer|s'inscrire|verifier|souscrire|ouvrir|"
    r"immatriculer|installer|prevoir|informer|signaler|contacter|envoyer|payer|acheter|signer|preparer)\b"
)
_VERB = re.compile(
    r"\b(?:est|sont|etait|etaient|sera|a|ont|avait|peut|peuvent|doit|doivent|permet|permettent|entraine|"
    r"implique|existe|il|ils|elle|elles|on|je|j|vous|se|s|y)\b"
)
_READING = re.compile(
    r"\b(?:je me renseigne|renseignez-vous|je m'informe|informez-vous|pour vous informer)\b"
)
_CONTINGENCY = re.compile(
    r"^si (?!je ne l'ai pas|vous ne l'avez pas)[^,]*\bn(?:e |')[^,]*\bpas\b"
)  # "Si la vente ne se réalise pas, ..."


def is_action(text: str) -> bool:
    """Whether a sentence asks the person to do something."""
    return bool(_ACTION.search(fold(text)))


def link_role(sentence: str, lead: str | None) -> str:
    """The role of the links of ``sentence`` (a paragraph, or a list item under ``lead``)."""
    folded = fold(sentence)
    if _NOTE.match(folded) or _EXPLANATORY.search(folded):
        return REFERENCE
    if _READING.search(folded):  # "je me renseigne sur …" is reading, unless something is done too
        return DEMARCHE if is_action(_READING.sub(" ", folded)) else REFERENCE
    if _CONTINGENCY.match(folded):
        return REFERENCE
    if lead is not None:
        lead_folded = fold(lead)
        if _NOTE.match(lead_folded) or _EXPLANATORY.search(lead_folded):
            return REFERENCE
        return DEMARCHE if is_action(lead) or is_action(sentence) else REFERENCE
    if is_action(sentence) or _INFINITIVE_STEP.match(folded) or is_named_step(folded):
        return DEMARCHE
    return REFERENCE


def is_named_step(folded: str) -> bool:
    """A short label with no verb and no full stop names a step, as a table of formalities does:
    "Déclaration préalable à l'embauche (DPAE)", "Taxe d'apprentissage"; a sentence does not."""
    text = folded.strip()
    if not text or text.endswith((".", "!", "?")) or len(text.split()) > 12:
        return False
    return not _VERB.search(re.sub(r"\([^)]*\)", " ", text))
