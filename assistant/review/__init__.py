"""The review queue: messages to learn from, labelled by agents, exported as Rasa NLU data."""

# Why a message entered the queue.
SOURCES = {
    "misunderstood": "Message non compris",
    "low_confidence": "Compris avec hésitation",
    "csat_negative": "Avis négatif",
    "handoff_misunderstood": "Transfert faute de compréhension",
}
# What an agent may say it was.
LABEL_KINDS = ("situation", "fiche", "intent")
STATUSES = ("open", "labelled", "discarded")
