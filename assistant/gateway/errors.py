"""Every error leaves the gateway as JSON: `{"error": {"code", "message", "details"?}}`."""

from __future__ import annotations

import logging
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.storage import StorageUnavailable

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    503: "unavailable",
}
# Framework messages that would otherwise reach people in English.
_FRENCH_DETAILS = {
    "There was an error parsing the body": "Le corps de la requête est illisible (JSON en UTF-8 attendu).",
    "Not Found": "Ressource introuvable.",
    "Method Not Allowed": "Méthode non autorisée pour cette adresse.",
}


def error_response(
    status: int, message: str, details: Optional[list[dict[str, Any]]] = None, code: str = ""
) -> JSONResponse:
    body: dict[str, Any] = {"code": code or _STATUS_CODES.get(status, "error"), "message": message}
    if details:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


def _safe_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))} for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _safe_details(exc)
        messages = [d["msg"] for d in details if d["loc"] and d["loc"][-1] == "__root__"]
        message = messages[0] if messages else "La requête est invalide."
        return error_response(422, message, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        response = error_response(exc.status_code, _FRENCH_DETAILS.get(detail, detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(StorageUnavailable)
    async def _storage(_: Request, exc: StorageUnavailable) -> JSONResponse:
        log.error("storage unavailable: %s", exc)
        response = error_response(
            503,
            "Le service est momentanément indisponible et votre message n'a pas été enregistré. "
            "Renvoyez-le dans quelques instants.",
            code="storage_unavailable",
        )
        response.headers["Retry-After"] = "10"
        return response

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        # PostgreSQL refuses NUL in text; whatever field carried it, the transaction was rolled back.
        if "0x00" in str(exc.orig) or type(exc.orig).__name__ == "CharacterNotInRepertoireError":
            log.warning("refused a value with a NUL character")
            return error_response(400, "La requête contient un caractère invalide (NUL).")
        log.exception("database error")
        return error_response(500, "Une erreur inattendue s'est produite.", code="internal_error")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "Une erreur inattendue s'est produite.", code="internal_error")
