"""The field cipher: AES-GCM values name their key, never repeat, and refuse tampering."""

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from civicgrid.core import pii


@pytest.fixture
def key(settings: Any) -> str:
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key]
    return key


def test_round_trip_with_a_fresh_nonce_each_time(key: str) -> None:
    first, second = pii.encrypt("13812345678"), pii.encrypt("13812345678")
    assert first != second
    assert first.startswith("v2:")
    assert "13812345678" not in first
    assert pii.decrypt(first) == pii.decrypt(second) == "13812345678"


def test_bulk_sealing_keeps_empties_and_never_repeats_a_nonce(key: str) -> None:
    values = ["13812345678"] * 50 + ["", None, 7]
    sealed = pii.encrypt_many(values)
    assert sealed[50:52] == ["", None]
    nonces = {token.rsplit(":", 1)[1][:16] for token in sealed[:50]}
    assert len(nonces) == 50  # 12 random bytes each: the first 16 base64 characters
    assert [pii.decrypt(token) for token in sealed[:50]] == values[:50]
    assert pii.decrypt(sealed[52]) == "7"


def test_a_changed_byte_is_refused(key: str) -> None:
    token = pii.encrypt("110101199003074511")
    head, body = token.rsplit(":", 1)
    tampered = head + ":" + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(ImproperlyConfigured):
        pii.decrypt(tampered)


def test_a_value_sealed_under_a_removed_key_is_refused(key: str) -> None:
    token = pii.encrypt("贵阳市南明区花果园1号")
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(ImproperlyConfigured),
    ):
        pii.decrypt(token)


def test_an_older_key_still_opens_its_values(key: str) -> None:
    token = pii.encrypt("13812345678")
    newer = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[newer, key]):
        assert pii.decrypt(token) == "13812345678"
        assert not pii.is_current(token)
        assert pii.is_current(pii.encrypt("13812345678"))


def test_fernet_tokens_written_before_still_decrypt(key: str) -> None:
    legacy = Fernet(key.encode()).encrypt(b"13812345678").decode()
    assert pii.decrypt(legacy) == "13812345678"
    assert not pii.is_current(legacy)
