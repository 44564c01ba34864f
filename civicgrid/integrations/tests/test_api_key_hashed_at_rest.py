"""Only a keyed hash of the secret is stored; the full key opens the API."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.integrations.keys import hash_secret, split_key
from civicgrid.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def test_secret_is_not_stored(hotline_key: Any) -> None:
    prefix, secret = split_key(hotline_key.raw)  # type: ignore[misc]
    row = ApiKey.objects.get(prefix=prefix)
    stored = " ".join(str(v) for v in ApiKey.objects.filter(pk=row.pk).values().get().values())
    assert secret not in stored
    assert row.secret_hash == hash_secret(secret)
    assert hotline_key.raw.startswith(f"civ_{prefix}_")


def test_the_full_key_opens_an_allowed_operation(hotline_key: Any) -> None:
    response = Client().get("/api/v1/cases/", **hotline_key.headers)
    assert response.status_code == 200, response.content


def test_a_wrong_secret_with_a_real_prefix_is_refused(hotline_key: Any) -> None:
    prefix, _secret = split_key(hotline_key.raw)  # type: ignore[misc]
    response = Client().get("/api/v1/cases/", HTTP_X_API_KEY=f"civ_{prefix}_wrong")
    assert response.status_code == 401
    assert response.json()["detail"] == "API 密钥无效或已吊销"
