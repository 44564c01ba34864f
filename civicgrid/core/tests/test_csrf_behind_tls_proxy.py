"""Behind a TLS-terminating proxy Django sees plain HTTP. With SECURE_PROXY_SSL_HEADER and
CSRF_TRUSTED_ORIGINS set (docs/configuration.md) a browser's POST over https passes the CSRF
origin check; without them the same POST is refused."""

import re
from typing import Any

from django.test import Client, override_settings

HOST = "grid.example.gov.cn"
PROXIED: dict[str, Any] = {
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_ORIGIN": f"https://{HOST}",
    "HTTP_HOST": HOST,
}


def _login_post(client: Client) -> int:
    page = client.get("/accounts/login/", **PROXIED)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    data = {"csrfmiddlewaretoken": token.group(1), "username": "nobody", "password": "wrong"}
    return client.post(
        "/accounts/login/", data, HTTP_REFERER=f"https://{HOST}/accounts/login/", **PROXIED
    ).status_code


@override_settings(
    ALLOWED_HOSTS=[HOST],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    CSRF_TRUSTED_ORIGINS=[f"https://{HOST}"],
)
def test_post_through_the_proxy_passes_csrf(db: None) -> None:
    assert _login_post(Client(enforce_csrf_checks=True)) == 200  # the form again: wrong password


@override_settings(ALLOWED_HOSTS=[HOST])
def test_without_the_proxy_settings_the_post_is_refused(db: None) -> None:
    assert _login_post(Client(enforce_csrf_checks=True)) == 403
