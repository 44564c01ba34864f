"""Protected personal data (ARCHITECTURE rule 3).

ID numbers, phone numbers and detailed addresses are stored encrypted with keys that are
separate from SECRET_KEY (``FIELD_ENCRYPTION_KEY``: the first key encrypts, all decrypt, so a
key can be rotated with ``rotate_pii_keys``). Exact lookup goes through a keyed HMAC blind
index. Everything shown to a person is masked on the server unless unmasked with a reason.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=1)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Personal data cannot be decrypted with the configured keys"
        ) from exc


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed HMAC of a normalised value: equal inputs give equal indexes, nothing leaks."""
    key = f"{settings.BLIND_INDEX_KEY}:{purpose}".encode()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()[:40]


class EncryptedTextField(models.TextField):
    """Plaintext in Python, Fernet ciphertext in the database. Not searchable: pair it with a
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
    """Re-encrypt every encrypted value with the first (current) key of
    FIELD_ENCRYPTION_KEY, so older keys can then be removed. Works on raw column values with
    ``MultiFernet.rotate`` in keyset-paginated batches, so no model code runs and no table is
    loaded whole."""
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
                for row in rows:
                    values = [fernet().rotate(v.encode()).decode() if v else v for v in row[1:]]
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s", [*values, row[0]]
                    )
                count += len(rows)
            if len(rows) < batch_size:
                break
            last = rows[-1][0]
        rotated[model._meta.label] = count
    return rotated
