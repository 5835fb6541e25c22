"""Reports about documents that are too complicated, for the administrations that wrote them."""

CATEGORIES = {
    "jargon": "Vocabulaire, jargon",
    "too_long": "Trop long",
    "missing_info": "Informations manquantes ou contradictoires",
    "unclear_documents": "Pièces demandées pas claires",
    "hard_to_fill": "Difficile à lire ou à remplir en ligne",
    "other": "Autre",
}
DOCUMENT_KINDS = ("form", "letter", "email", "notice", "website", "document")
# French labels of the codes a report carries, for the exports people open (CSV).
KIND_LABELS = {
    "form": "Formulaire",
    "letter": "Courrier",
    "email": "Courriel",
    "notice": "Notice",
    "website": "Site internet",
    "document": "Document",
}
CHANNEL_LABELS = {"web": "Site web", "telegram": "Telegram", "sms": "SMS"}
