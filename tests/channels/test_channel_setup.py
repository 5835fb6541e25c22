"""Channel configuration: unconfigured webhooks are 404, secrets are checked, short links redirect."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings, SettingsError
from tests.conftest import make_settings


def test_unconfigured_channels_answer_404(gateway: TestClient) -> None:
    telegram = gateway.post(
        "/channels/telegram/webhook", json={"update_id": 1}, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
    )
    sms = gateway.post("/channels/sms/webhook", data={"From": "+33600000000", "Body": "bonjour"})
    for response in (telegram, sms):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_telegram_needs_a_strong_webhook_secret_outside_development(tmp_path: object) -> None:
    base = make_settings(tmp_path, app_env="production", telegram_bot_token="123:abc")  # type: ignore[arg-type]
    for weak in ("", "secret", "short-secret"):
        with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
            base.copy(update={"telegram_webhook_secret": weak}).check_secrets()
    base.copy(update={"telegram_webhook_secret": "a" * 32}).check_secrets()
    make_settings(tmp_path, app_env="production").check_secrets()  # type: ignore[arg-type]  # no Telegram
    make_settings(tmp_path, telegram_bot_token="123:abc").check_secrets()  # type: ignore[arg-type]  # development


def test_configured_channels_follow_the_settings(tmp_path: object) -> None:
    settings: Settings = make_settings(tmp_path)  # type: ignore[arg-type]
    assert not settings.telegram_configured and not settings.sms_configured
    sms = settings.copy(
        update={"sms_account_sid": "AC1", "sms_auth_token": "t", "sms_from_number": "+33700000000"}
    )
    assert not sms.sms_configured  # the API base URL is missing
    assert sms.copy(update={"sms_api_base_url": "http://127.0.0.1:9"}).sms_configured


def test_short_links_redirect_to_the_official_fiche(gateway: TestClient) -> None:
    cases = {
        "/l/F1168": "https://www.service-public.fr/particuliers/vosdroits/F1168",
        "/l/pro/F31336": "https://www.service-public.fr/professionnels-entreprises/vosdroits/F31336",
        "/l/asso/R1234": "https://www.service-public.fr/associations/vosdroits/R1234",
    }
    for path, target in cases.items():
        response = gateway.get(path, follow_redirects=False)
        assert response.status_code == 302 and response.headers["location"] == target
    for bad in ("/l/x/F1", "/l/evil.com", "/l/F1%2F..%2Fx"):
        assert gateway.get(bad, follow_redirects=False).status_code == 404
