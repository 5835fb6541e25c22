"""Request and response bodies of the public HTTP API."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field, StrictStr, root_validator

from assistant.conversations.inputs import MAX_PAYLOAD_CHARS, MAX_TEXT_CHARS, clean_text


class MessageIn(BaseModel):
    """What a person sends: typed text, or the payload of a button they pressed."""

    text: Optional[StrictStr] = Field(None, description="Texte saisi (2 000 caractères au plus).")
    payload: Optional[StrictStr] = Field(None, description="Valeur d'un bouton proposé par le bot.")

    class Config:
        extra = "forbid"
        schema_extra = {"example": {"text": "Je déménage le mois prochain"}}

    @root_validator(skip_on_failure=True)
    def _exactly_one(cls, values: dict[str, Any]) -> dict[str, Any]:  # noqa: N805
        text, payload = values.get("text"), values.get("payload")
        if (text is None) == (payload is None):
            raise ValueError("Envoyez soit « text », soit « payload ».")
        if text is not None:
            text = clean_text(text)
            if not text:
                raise ValueError("Le message est vide.")
            if len(text) > MAX_TEXT_CHARS:
                raise ValueError(f"Le message dépasse {MAX_TEXT_CHARS} caractères.")
            values["text"] = text
        if payload is not None:
            payload = clean_text(payload)
            if not payload or len(payload) > MAX_PAYLOAD_CHARS:
                raise ValueError("La valeur du bouton est invalide.")
            values["payload"] = payload
        return values


class ButtonOut(BaseModel):
    title: str
    payload: str


class MessageOut(BaseModel):
    role: str = Field(..., description="bot, agent ou system")
    text: Optional[str]
    buttons: list[ButtonOut] = []
    custom: Optional[dict[str, Any]] = None


class ConversationOut(BaseModel):
    id: str
    messages: list[MessageOut]


class TranscriptEntry(BaseModel):
    id: int
    role: str = Field(..., description="user, bot, agent ou system")
    text: Optional[str]
    payload: Optional[str]
    buttons: list[ButtonOut] = []
    status: str
    created_at: str


class TranscriptOut(BaseModel):
    id: str
    messages: list[TranscriptEntry]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Optional[list[dict[str, Any]]] = None


class ErrorOut(BaseModel):
    error: ErrorBody
