"""The widget's files and the demo page the gateway serves."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_widget_files_and_demo_page(gateway: TestClient) -> None:
    script = gateway.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "max-age=" in script.headers["cache-control"]
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    assert "innerHTML" not in script.text and "eval(" not in script.text
    style = gateway.get("/widget.css")
    assert style.status_code == 200 and style.headers["content-type"] == "text/css; charset=utf-8"
    assert gateway.get("/widget/static/demo.css").status_code == 200
    assert gateway.get("/widget/static/..%2f..%2fconfig.py").status_code == 404

    page = gateway.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self' ws://testserver" in policy
    assert "unsafe-inline" not in policy
    assert 'src="http://testserver/widget.js"' in page.text and "data-gateway=" in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_widget_config_names_where_to_send_the_phone_code(gateway: TestClient, client: TestClient) -> None:
    nothing = gateway.get("/widget/config")
    assert nothing.status_code == 200 and nothing.json() == {"sms_number": None, "telegram_bot": None}
    assert nothing.headers["access-control-allow-origin"] == "*"  # read by the widget on any site
    # SMS configured; Telegram too, but without TELEGRAM_BOT_USERNAME its bot is not named.
    assert client.get("/widget/config").json() == {"sms_number": "+33700000000", "telegram_bot": None}
