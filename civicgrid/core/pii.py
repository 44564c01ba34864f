"""Protected personal data (ARCHITECTURE rule 3).

ID numbers, phone numbers and detailed addresses are stored encrypted with keys that are
separate from SECRET_KEY (``FIELD_ENCRYPTION_KEY``: the first key encrypts, all decrypt, so a
key can be rotated with ``rotate_pii_keys``). Exact lookup goes through a keyed HMAC blind
index. Everything shown to a person is masked on the server unless unmasked with a reason.

Cipher (docs/architecture.md, "Personal data"): AES-256-GCM through ``cryptography``'s AEAD,
stored as ``v2:<key id>:<base64 of nonce + ciphertext + tag>``. The AES key is derived with
HKDF from each configured key, and the key id (a hash of it) names which one sealed a value,
so decryption goes straight to the right key and rotation can skip values already under the
current one. Values written before this format are Fernet tokens (``gAAAA…``) and still
decrypt with the same configured keys; ``rotate_pii_keys`` rewrites them. GCM is about seven
times faster than Fernet here (one C call instead of CBC + HMAC in Python objects), which is
most of what a 100,000-person import used to spend on encryption. Random 96-bit nonces are
safe far beyond the ~10^8 values one key seals in a city (NIST SP 800-38D's 2^32 bound).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v2:"
_NONCE = 12


@dataclass(frozen=True)
class Keyring:
    current_id: str
    current: AESGCM
    by_id: dict[str, AESGCM]
    legacy: MultiFernet  # the same keys as Fernet keys, for values written before v2


@lru_cache(maxsize=4)
def _keyring(keys: tuple[str, ...]) -> Keyring:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set")
    by_id: dict[str, AESGCM] = {}
    ids = []
    for key in keys:
        material = base64.urlsafe_b64decode(key.encode())
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"civicgrid pii aes-256-gcm"
        ).derive(material)
        key_id = hashlib.sha256(b"civicgrid pii key id:" + derived).hexdigest()[:8]
        by_id[key_id] = AESGCM(derived)
        ids.append(key_id)
    return Keyring(
        current_id=ids[0],
        current=by_id[ids[0]],
        by_id=by_id,
        legacy=MultiFernet([Fernet(k.encode()) for k in keys]),
    )


def keyring() -> Keyring:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def fernet() -> MultiFernet:
    """The configured keys as Fernet keys (values written before the v2 format)."""
    return keyring().legacy


def encrypt(value: str) -> str:
    return _sealer()(value, os.urandom(_NONCE))


def encrypt_many(values: list[Any]) -> list[Any]:
    """``encrypt`` of each non-empty value (empty ones kept), the keyring looked up once and
    the nonces drawn from the OS in one read (a read per value was a tenth of sealing a
    large import): the bulk path of imports and generated data."""
    seal = _sealer()
    pool = os.urandom(_NONCE * len(values))
    return [
        value
        if value is None or value == ""
        else seal(str(value), pool[i * _NONCE : (i + 1) * _NONCE])
        for i, value in enumerate(values)
    ]


def _sealer() -> Callable[[str, bytes], str]:
    """Seals text under the current key in the v2 format with the nonce it is given (fresh
    from the OS for every value: never reuse one under the same key)."""
    ring = keyring()
    aead, key_id = ring.current, ring.current_id
    aad, head = key_id.encode(), f"{PREFIX}{key_id}:"

    def seal(value: str, nonce: bytes) -> str:
        return head + base64.b64encode(nonce + aead.encrypt(nonce, value.encode(), aad)).decode()

    return seal


def decrypt(token: str) -> str:
    ring = keyring()
    try:
        if not token.startswith(PREFIX):
            return ring.legacy.decrypt(token.encode()).decode()
        key_id, _, body = token[len(PREFIX) :].partition(":")
        aead = ring.by_id.get(key_id)
        if aead is None:
            raise InvalidTag
        raw = base64.b64decode(body, validate=True)
        return aead.decrypt(raw[:_NONCE], raw[_NONCE:], key_id.encode()).decode()
    except (InvalidToken, InvalidTag, binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(
            "Personal data cannot be decrypted with the configured keys"
        ) from exc


def is_current(token: str) -> bool:
    """True when ``token`` is sealed in the current format under the current key."""
    return token.startswith(f"{PREFIX}{keyring().current_id}:")


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC of a normalised value: equal inputs give equal indexes, nothing leaks."""
    mac = _keyed_mac(settings.BLIND_INDEX_KEY, purpose).copy()
    mac.update(normalise(value).encode())
    return mac.hexdigest()[:40]


@lru_cache(maxsize=16)
def _keyed_mac(key: str, purpose: str) -> hmac.HMAC:
    # Copying a keyed HMAC skips the key schedule, half the cost of one index in an import.
    return hmac.new(f"{key}:{purpose}".encode(), digestmod=hashlib.sha256)


class EncryptedTextField(models.TextField):
    """Plaintext in Python, AES-GCM ciphertext in the database. Not searchable: pair it with a
    blind-index column for exact lookup."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_address(value: str | None) -> str:
    """Keep the coarse part (road, compound) and hide the door number."""
    if not value:
        return ""
    keep = max(len(value) // 2, 4)
    return value[:keep] + "****"


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model (history tables included) with the columns it encrypts."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        columns = [
            f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if columns:
            found.append((model, columns))
    return found


def rotate_encrypted_fields(batch_size: int = 2000) -> dict[str, int]:
    """Re-encrypt every encrypted value not yet sealed with the first (current) key of
    FIELD_ENCRYPTION_KEY in the current format (older keys, Fernet tokens), so older keys can
    then be removed. Works on raw column values in keyset-paginated batches, one transaction
    each, so no model code runs and no table is loaded whole; values already current are
    skipped, so a run that was interrupted resumes where it stopped when started again.
    Returns the rows rewritten per model."""
    from django.db import connection, transaction

    rotated: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, columns in encrypted_fields():
        table = quote(model._meta.db_table)
        pk = quote(model._meta.pk.column)
        selected = ", ".join(quote(c) for c in columns)
        assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
        count = 0
        last: Any = None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where, params = ("", []) if last is None else (f" WHERE {pk} > %s", [last])
                cursor.execute(
                    f"SELECT {pk}, {selected} FROM {table}{where} ORDER BY {pk} LIMIT %s",
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
                stale = [row for row in rows if any(v and not is_current(v) for v in row[1:])]
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
                    [
                        [
                            *(
                                v if not v or is_current(v) else encrypt(decrypt(v))
                                for v in row[1:]
                            ),
                            row[0],
                        ]
                        for row in stale
                    ],
                )
                count += len(stale)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
        rotated[model._meta.label] = count
    return rotated
