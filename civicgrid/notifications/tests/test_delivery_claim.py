"""Several workers may run at once: each message is claimed and sent by exactly one."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.delivery import claim
from civicgrid.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def message(**extra: Any) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.EMAIL, address="a@example.org", subject="T", **extra
    )


def test_of_two_claims_one_wins() -> None:
    pk = message().pk
    assert [claim(pk), claim(pk)] == [True, False]
    assert OutboxMessage.objects.get(pk=pk).status == OutboxStatus.SENDING


def test_a_message_not_yet_due_cannot_be_claimed() -> None:
    pk = message(next_attempt_at=timezone.now() + timedelta(minutes=5)).pk
    assert not claim(pk)


def test_send_outbox_sends_pending_and_is_idempotent(mailoutbox: list[Any]) -> None:
    message()
    call_command("send_outbox", stdout=StringIO())
    call_command("send_outbox", stdout=StringIO())
    assert len(mailoutbox) == 1


def test_send_outbox_recovers_a_claim_abandoned_by_a_dead_worker(mailoutbox: list[Any]) -> None:
    stale = message(status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1))
    busy = message(status=OutboxStatus.SENDING, claimed_at=timezone.now())
    call_command("send_outbox", stdout=StringIO())
    assert OutboxMessage.objects.get(pk=stale.pk).status == OutboxStatus.SENT
    assert OutboxMessage.objects.get(pk=busy.pk).status == OutboxStatus.SENDING
    assert len(mailoutbox) == 1


def test_a_refused_address_is_masked_in_the_error(settings: Any) -> None:
    settings.EMAIL_BACKEND = "civicgrid.notifications.tests.test_delivery_claim.RefusingBackend"
    pk = message().pk
    call_command("send_outbox", stdout=StringIO())
    error = OutboxMessage.objects.get(pk=pk).last_error
    assert "a@example.org" not in error
    assert "refused" in error


class RefusingBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise OSError(f"{messages[0].to[0]} refused")
