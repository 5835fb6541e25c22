"""Catalogue records: one per fiche of the index (F, N and R ids)."""

from __future__ import annotations

from assistant.kb.cerfa import fiche_cerfa
from assistant.kb.errors import KnowledgeBaseError
from assistant.kb.models import CatalogueEntry
from assistant.kb.nodes import Node, attr, child, child_text, children_named, walk
from assistant.kb.source import IndexEntry

KINDS = {
    "Fiche d'information": "fiche d'information",
    "Fiche d'information conditionnée": "fiche d'information",
    "Fiche Question-réponse": "question-réponse",
    "Fiche Question-réponse conditionnée": "question-réponse",
    "Téléservice": "téléservice",
    "Téléservice personnalisé sur SP": "téléservice",
    "Formulaire": "formulaire",
    "Modèle de document": "modèle de document",
    "Simulateur": "simulateur",
    "Outil de recherche": "outil de recherche",
    "Fiche Comment faire si": "comment faire si",
    "Fiche Comment faire si - simulateur": "comment faire si",
    "Dossier": "dossier",
    "Recherche guidée": "recherche guidée",
    "Fiche avec liens externes": "fiche avec liens externes",
    "Theme": "thème",
}
URL_SEGMENTS = {
    "particuliers": "particuliers",
    "professionnels": "professionnels-entreprises",
    "associations": "associations",
}


def official_url(fiche_id: str, audience: str) -> str:
    return f"https://www.service-public.fr/{URL_SEGMENTS[audience]}/vosdroits/{fiche_id}"


def fiche_url(root: Node, fiche_id: str, audience: str) -> str:
    """The fiche's own ``spUrl`` when it has one, else the URL of its audience."""
    return attr(root, "spUrl") or official_url(fiche_id, audience)


def organisation(root: Node) -> str | None:
    """The place to go to that the fiche names, if any.

    In order: the fiche's own ``OuSAdresser``; for an online service or a form, the body
    providing it (``LienWeb/Source``); else the first ``OuSAdresser`` of its content.
    """
    for candidate in children_named(root, "OuSAdresser"):
        name = child_text(candidate, "Titre")
        if name:
            return name
    for link in children_named(root, "LienWeb"):
        name = child_text(link, "Source")
        if name:
            return name
    for node in walk(root):
        if node.get("name") == "OuSAdresser":
            name = child_text(node, "Titre")
            if name:
                return name
    return None


def extract_entry(entry: IndexEntry, root: Node) -> CatalogueEntry:
    """The catalogue record of one fiche (``audiences`` is filled by the build)."""
    publication_type = attr(root, "type") or ""
    kind = KINDS.get(publication_type)
    if kind is None:
        raise KnowledgeBaseError(f"Fiche {entry.id} : type de fiche inconnu {publication_type!r}")
    title = child_text(root, "dc:title") or entry.title
    if not title:
        raise KnowledgeBaseError(f"Fiche {entry.id} : structure inconnue (pas de dc:title)")
    date = child_text(root, "dc:date").removeprefix("modified").strip() or None
    subject = child_text(root, "dc:subject") or entry.subject
    description = child_text(root, "dc:description") or (
        child_text(child(root, "Introduction") or {}, "Texte")
    )
    return CatalogueEntry(
        id=entry.id,
        title=title,
        description=description,
        audience=entry.audience,
        kind=kind,
        theme=entry.theme,
        url=fiche_url(root, entry.id, entry.audience),
        cerfa=fiche_cerfa(root, title),
        organisation=organisation(root),
        audiences=[entry.audience],
        subject=subject,
        updated=date,
    )
