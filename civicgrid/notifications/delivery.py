"""Sending outbox messages exactly once, whatever the number of workers.

A worker claims a message with a compare-and-set (``pending`` → ``sending``); only the worker
whose update changed the row sends it. A failed send goes back to ``pending`` with a later
``next_attempt_at`` until ``NOTIFY_MAX_ATTEMPTS`` is reached, then stays ``failed``.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from civicgrid.core.pii import mask_phone
from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send. Far above the webhook
# timeout, so a slow but live send is never sent twice.
STALE_CLAIM = timedelta(minutes=15)


class DeliveryError(Exception):
    pass


def claim(pk: int) -> bool:
    """True for the one caller that moves the message from pending to sending."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=pk, status=OutboxStatus.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


# Payload kinds whose webhook address is the receiving system itself, not the gateway.
DIRECT_KINDS = frozenset({"hotline_status"})


def _post_json(data: dict, url: str = "") -> None:
    url = url or settings.NOTIFY_WEBHOOK_URL
    if not url:
        raise DeliveryError("NOTIFY_WEBHOOK_URL is not set")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.NOTIFY_WEBHOOK_TOKEN:
        headers["Authorization"] = f"Bearer {settings.NOTIFY_WEBHOOK_TOKEN}"
    request = urllib.request.Request(
        url, data=json.dumps(data, ensure_ascii=False).encode(), headers=headers, method="POST"
    )
    # urlopen raises HTTPError for 4xx/5xx answers and URLError/TimeoutError when unreachable.
    with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:
        response.read()


def _absolute(url: str) -> str:
    if url.startswith("/") and settings.NOTIFY_SITE_URL:
        return settings.NOTIFY_SITE_URL.rstrip("/") + url
    return url


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        link = _absolute(message.payload.get("url", ""))
        text = "\n\n".join(part for part in (message.body, link) if part)
        send_mail(message.subject, text, None, [message.address], fail_silently=False)
    elif message.channel in (Channel.WEBHOOK, Channel.SMS):
        # A message to an outside system (the 12345 hotline's status push) goes to the address
        # registered for it; staff messages and SMS go to the platform's gateway.
        direct = message.channel == Channel.WEBHOOK and message.payload.get("kind") in DIRECT_KINDS
        _post_json(
            {
                **message.payload,
                "id": message.pk,
                "channel": message.channel,
                "to": message.address,
                "title": message.subject,
                "body": message.body,
                "url": _absolute(message.payload.get("url", "")),
            },
            url=message.address if direct else "",
        )
    else:
        raise DeliveryError(f"unknown channel {message.channel!r}")


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 … times NOTIFY_RETRY_SECONDS."""
    return timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def send_claimed(pk: int) -> bool:
    """Send a message this worker has claimed and record the outcome; True when sent."""
    message = OutboxMessage.objects.get(pk=pk)
    try:
        _send(message)
    except Exception as exc:  # any failure of a channel is recorded and retried, never raised
        # Mail servers quote the refused address: keep personal data out of logs and rows.
        error = f"{type(exc).__name__}: {exc}"
        if message.address:
            error = error.replace(message.address, mask_phone(message.address))
        logger.warning("outbox message %s failed (attempt %s): %s", pk, message.attempts, error)
        now = timezone.now()
        done = message.attempts >= settings.NOTIFY_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.FAILED if done else OutboxStatus.PENDING,
            last_error=error[:1000],
            next_attempt_at=now + retry_delay(message.attempts),
        )
        return False
    OutboxMessage.objects.filter(pk=pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def release_stale() -> int:
    """Return abandoned claims to the queue."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(status=OutboxStatus.PENDING)


def deliver_due(*, batch: int = 100) -> tuple[int, int]:
    """Send every message whose time has come; (sent, failed) by this worker."""
    sent = failed = 0
    while True:
        due = list(
            OutboxMessage.objects.filter(
                status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch]
        )
        mine = [pk for pk in due if claim(pk)]
        for pk in mine:
            if send_claimed(pk):
                sent += 1
            else:
                failed += 1
        # Stop when nothing was due, or when other workers took this whole batch (they will
        # carry on) — and never loop on messages that just failed and were rescheduled.
        if len(due) < batch or not mine:
            return sent, failed
