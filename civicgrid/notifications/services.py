"""Telling people things: an in-app inbox row per recipient plus outbox rows for e-mail, the
webhook and SMS, all written in the caller's transaction and sent after it commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from civicgrid.core.pii import blind_index
from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.models import Notification, OutboxMessage
from civicgrid.notifications.selectors import unread_count as unread_count

# Re-exported: callers use ``services.unread_count`` beside ``mark_read``.
__all__ = ["mark_read", "notify", "notify_contact", "outbox_requeue", "unread_count"]


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def _payload(*, kind: str, title: str, body: str, url: str, target: tuple[str, str]) -> dict:
    return {
        "kind": kind,
        "title": title,
        "body": body,
        "url": url,
        "target_type": target[0],
        "target_id": target[1],
    }


def _outbox_key(dedupe_key: str, channel: str, who: str) -> str:
    return f"{dedupe_key}|{channel}|{who}" if dedupe_key else ""


def _queue_delivery(messages: list[OutboxMessage]) -> None:
    if not messages:
        return
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    from civicgrid.notifications.tasks import deliver_outbox

    transaction.on_commit(deliver_outbox.enqueue)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    target: models.Model | None = None,
    dedupe_key: str = "",
    at: datetime | None = None,
) -> int:
    """One inbox message per active recipient and one outbox message per outside channel that
    applies. With ``dedupe_key`` a person never gets the same key twice, even when two
    processes send it at once. ``at`` dates the inbox message by the event it reports (a
    case step recorded earlier, as in the demo's back-dated history) instead of the moment
    of sending. Returns the number of inbox messages created."""
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if dedupe_key and people:
        already = Notification.objects.filter(
            dedupe_key=dedupe_key, recipient_id__in=list(people)
        ).values_list("recipient_id", flat=True)
        for pk in already:
            people.pop(pk, None)
    if not people:
        return 0
    where = _target(target)
    now = at or timezone.now()
    # ignore_conflicts covers the race the check above cannot see: a parallel run that
    # committed the same key in between. The unique constraint keeps one row.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                target_type=where[0],
                target_id=where[1],
                created_at=now,
                dedupe_key=dedupe_key,
            )
            for user in people.values()
        ],
        ignore_conflicts=bool(dedupe_key),
    )
    payload = _payload(kind=kind, title=title, body=body, url=url, target=where)
    messages = []
    for user in people.values():
        who = f"user:{user.pk}"
        if user.email:
            messages.append(
                OutboxMessage(
                    channel=Channel.EMAIL,
                    address=user.email,
                    subject=title,
                    body=body,
                    payload=payload,
                    dedupe_key=_outbox_key(dedupe_key, Channel.EMAIL, who),
                )
            )
        if settings.NOTIFY_WEBHOOK_URL:
            messages.append(
                OutboxMessage(
                    channel=Channel.WEBHOOK,
                    address=user.phone,
                    subject=title,
                    body=body,
                    payload={**payload, "username": user.username},
                    dedupe_key=_outbox_key(dedupe_key, Channel.WEBHOOK, who),
                )
            )
    _queue_delivery(messages)
    return len(people)


@transaction.atomic
def notify_contact(
    *,
    phone: str = "",
    email: str = "",
    kind: str,
    title: str,
    body: str = "",
    target: models.Model | None = None,
    dedupe_key: str = "",
) -> int:
    """Tell someone without an account (a resident who phoned 12345): an SMS through the
    webhook gateway and/or an e-mail. Returns the number of outbox messages queued."""
    payload = _payload(kind=kind, title=title, body=body, url="", target=_target(target))
    messages = []
    phone, email = phone.strip(), email.strip()
    # The address is personal data: the dedupe key carries its blind index, never the number.
    if phone and settings.NOTIFY_WEBHOOK_URL:
        messages.append(
            OutboxMessage(
                channel=Channel.SMS,
                address=phone,
                subject=title,
                body=body,
                payload=payload,
                dedupe_key=_outbox_key(
                    dedupe_key, Channel.SMS, blind_index(phone, purpose="notify")
                ),
            )
        )
    if email:
        messages.append(
            OutboxMessage(
                channel=Channel.EMAIL,
                address=email,
                subject=title,
                body=body,
                payload=payload,
                dedupe_key=_outbox_key(
                    dedupe_key, Channel.EMAIL, blind_index(email, purpose="notify")
                ),
            )
        )
    if dedupe_key and messages:
        keys = [m.dedupe_key for m in messages]
        known = set(
            OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        messages = [m for m in messages if m.dedupe_key not in known]
    _queue_delivery(messages)
    return len(messages)


@transaction.atomic
def mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark the user's messages read (``ids=None``: all of them). Others' ids are ignored;
    callers that must refuse them check with ``selectors.access_notifications`` first."""
    unread = Notification.objects.visible_to(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def outbox_requeue(*, ids: list[int]) -> int:
    """Give failed messages a fresh set of attempts (after the gateway has been fixed)."""
    count = OutboxMessage.objects.filter(pk__in=ids, status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        from civicgrid.notifications.tasks import deliver_outbox

        transaction.on_commit(deliver_outbox.enqueue)
    return count
