"""A status change of a hotline case is queued for the hotline's webhook in the outbox, and a
failed delivery is retried with the outbox's backoff."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.integrations.models import ApiKey
from civicgrid.integrations.tests.test_hotline_idempotent import ORDER, post
from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.delivery import deliver_due, retry_delay
from civicgrid.notifications.models import OutboxMessage
from civicgrid.notifications.tests.test_delivery_webhook import Gateway, gateway  # noqa: F401
from civicgrid.testing.cases import report_case

pytestmark = pytest.mark.django_db


def _pushes() -> Any:
    return OutboxMessage.objects.filter(dedupe_key__startswith="hotline:")


def test_status_change_is_queued_and_retried(
    hotline_key: Any,
    users: Any,
    gateway: Gateway,  # noqa: F811
) -> None:
    # The hotline's own callback receives the push directly (not the platform's gateway).
    from django.conf import settings

    callback = settings.NOTIFY_WEBHOOK_URL
    settings.NOTIFY_WEBHOOK_URL = ""
    ApiKey.objects.filter(pk=hotline_key.row.pk).update(webhook_url=callback)
    answer = post(hotline_key, ORDER).json()
    assert not _pushes().exists()  # the order's own intake is not news to the hotline
    case = Case.objects.get(number=answer["case_number"])
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary, note="内部备注")
    [message] = _pushes()
    assert message.channel == Channel.WEBHOOK
    assert message.address == callback
    assert message.payload["order_no"] == ORDER["order_no"]
    assert message.payload["status"] == CaseStatus.ACCEPTED
    assert "内部备注" not in str(message.payload) and "secretary" not in str(message.payload)

    gateway.status = 503
    assert deliver_due() == (0, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at > timezone.now()

    gateway.status = 200
    with time_machine.travel(timezone.now() + retry_delay(1) + timedelta(seconds=1)):
        assert deliver_due() == (1, 0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    sent = gateway.received[-1]
    assert sent["order_no"] == ORDER["order_no"] and sent["to"] == message.address


def test_other_cases_push_nothing(hotline_key: Any, users: Any) -> None:
    case = report_case(users.worker)
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary)
    assert not _pushes().exists()
