"""Inbound webhooks of the Telegram and SMS channels, and the short links used in SMS."""

from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import APIRouter, Header, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from assistant.gateway.deps import StateDep
from assistant.gateway.schemas import ErrorOut
from channels.sms import EMPTY_TWIML, SmsChannel
from channels.sms_rendering import AUDIENCES, FICHE_ID
from channels.telegram import TelegramChannel

router = APIRouter(tags=["channels"])

NOT_CONFIGURED = "Ce canal n'est pas configuré."
STORAGE_DOWN = "Le service est momentanément indisponible. Renvoyez ce message dans quelques instants."
RETRY_AFTER_SECONDS = "10"
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Requête illisible"},
    403: {"model": ErrorOut, "description": "Signature ou jeton secret invalide"},
    404: {"model": ErrorOut, "description": "Canal non configuré"},
    503: {"model": ErrorOut, "description": "Stockage indisponible : le fournisseur doit renvoyer"},
}
_SHORT_AUDIENCES = {code.rstrip("/"): audience for audience, code in AUDIENCES.items()}


async def require_storage(state: StateDep) -> None:
    """Updates are processed after the answer: without storage, refuse them (503) so they are re-sent."""
    if not await state.database.ping():
        raise HTTPException(
            status_code=503, detail=STORAGE_DOWN, headers={"Retry-After": RETRY_AFTER_SECONDS}
        )


@router.post("/channels/telegram/webhook", responses=_ERRORS)
async def telegram_webhook(
    request: Request,
    state: StateDep,
    secret: Annotated[Optional[str], Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> dict[str, bool]:
    """Reçoit les mises à jour de Telegram ; répond tout de suite, traite ensuite."""
    channel = state.channel_runtime.registry.adapters.get("telegram")
    if not isinstance(channel, TelegramChannel):
        raise HTTPException(status_code=404, detail=NOT_CONFIGURED)
    if not channel.secret_matches(secret):
        raise HTTPException(status_code=403, detail="Jeton secret invalide.")
    try:
        data = await request.json()
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested too deep
        raise HTTPException(status_code=400, detail="Le corps doit être du JSON.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise HTTPException(status_code=400, detail="Mise à jour Telegram illisible.")
    await require_storage(state)
    try:
        channel.accept(data, state.inbound)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail="Mise à jour Telegram illisible.") from exc
    return {"ok": True}


@router.post("/channels/sms/webhook", responses=_ERRORS, response_class=Response)
async def sms_webhook(
    request: Request,
    state: StateDep,
    signature: Annotated[Optional[str], Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    """Reçoit les SMS (format Twilio) ; répond un TwiML vide, la réponse part par l'API du fournisseur."""
    channel = state.channel_runtime.registry.adapters.get("sms")
    if not isinstance(channel, SmsChannel):
        raise HTTPException(status_code=404, detail=NOT_CONFIGURED)
    form = await request.form()
    params = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    url = state.settings.public_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not channel.signature_valid(url, params, signature):
        raise HTTPException(status_code=403, detail="Signature invalide.")
    fields = dict(params)
    sender, sid = fields.get("From", ""), fields.get("MessageSid", "")
    if sender and sid and "Body" in fields:
        await require_storage(state)
        channel.accept(sender, fields["Body"], sid, state.inbound)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.get("/l/{fiche_id}", include_in_schema=False)
@router.get("/l/{audience}/{fiche_id}", include_in_schema=False)
async def short_link(fiche_id: str, audience: str = "") -> RedirectResponse:
    """Short links of SMS messages: a redirect to the official service-public.fr fiche."""
    target = _SHORT_AUDIENCES.get(audience)
    if target is None or not FICHE_ID.match(fiche_id):
        raise HTTPException(status_code=404, detail="Lien inconnu.")
    return RedirectResponse(f"https://www.service-public.fr/{target}/vosdroits/{fiche_id}", status_code=302)
