"""Run a write once per client key (docs/architecture.md "Offline field app").

A phone that sends a report from its outbox cannot know whether an answer that never arrived
means "not stored" or "stored, answer lost", so it sends again with the same ``client_key``.
``run_once`` keeps the first answer in ``IdempotentRequest`` under (user, scope, key), written
in the SAME transaction as the action: either both the record and the answer exist or neither
does, so an action that fails (bad input, a crash) leaves the key free for a corrected resend.

Two repeats at the same instant: both try to insert the key row first. On PostgreSQL the
second INSERT waits on the unique index until the first transaction ends; when the first
committed, the second gets an IntegrityError and reads the stored answer (READ COMMITTED sees
the committed row), so only one action ever runs. On SQLite writers are serialised anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicgrid.core.models import IdempotentRequest

# How long a key is remembered: far longer than a phone stays offline.
KEEP_DAYS = 30
# The status stored while the action runs inside the transaction; never seen from outside it.
RUNNING = 0


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    # True when this call did not run the action but returned the first run's answer.
    replayed: bool


def run_once(
    *,
    user: Any,
    scope: str,
    key: str,
    action: Callable[[], tuple[int, dict[str, Any]]],
) -> Outcome:
    """``action()`` → (status, JSON body) runs at most once per (user, scope, key); every call
    gets that first answer. Exceptions from ``action`` roll back the key with the action."""
    with transaction.atomic():
        try:
            # A savepoint so that the unique violation leaves the outer transaction usable.
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=user, scope=scope, key=key, status=RUNNING
                )
        except IntegrityError:
            stored = IdempotentRequest.objects.get(user=user, scope=scope, key=key)
            return Outcome(stored.status, dict(stored.response), replayed=True)
        status, body = action()
        record.status = status
        record.response = body
        record.save(update_fields=["status", "response"])
        return Outcome(status, body, replayed=False)


def purge_expired(*, now: Any = None, keep_days: int = KEEP_DAYS) -> int:
    """Forget keys older than ``keep_days``; returns how many were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
