"""notify(): one inbox row per person, outbox rows per outside channel, once per key."""

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from civicgrid.notifications.choices import Channel
from civicgrid.notifications.models import Notification, OutboxMessage
from civicgrid.notifications.services import notify
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_inbox_message(users: RoleUsers) -> None:
    created = notify(recipients=[users.worker, users.cadre, users.worker], kind="case", title="T")
    assert created == 2
    assert Notification.objects.filter(title="T").count() == 2


def test_the_target_is_recorded(users: RoleUsers) -> None:
    notify(recipients=[users.worker], kind="case", title="T", target=users.dept)
    row = Notification.objects.get()
    assert (row.target_type, row.target_id) == ("accounts.department", str(users.dept.pk))


def test_a_message_can_be_dated_by_the_event_it_reports(users: RoleUsers) -> None:
    step = timezone.now() - timedelta(days=5)
    notify(recipients=[users.worker], kind="case", title="T", at=step)
    notify(recipients=[users.worker], kind="case", title="U")
    dated, fresh = Notification.objects.order_by("created_at")
    assert dated.created_at == step
    assert fresh.created_at > step + timedelta(days=4)


def test_same_dedupe_key_twice_notifies_once(users: RoleUsers) -> None:
    first = notify(recipients=[users.worker], kind="k", title="T", dedupe_key="case:1:overdue")
    again = notify(
        recipients=[users.worker, users.cadre], kind="k", title="T", dedupe_key="case:1:overdue"
    )
    assert (first, again) == (1, 1)  # only the cadre is new the second time
    assert Notification.objects.filter(recipient=users.worker).count() == 1


def test_a_parallel_run_that_committed_first_does_not_duplicate(users: RoleUsers) -> None:
    """The pre-check misses a row committed by a parallel run; the constraint still holds."""
    users.worker.email = "worker@example.org"
    users.worker.save()
    notify(recipients=[users.worker], kind="k", title="T", dedupe_key="esc:7")
    with mock.patch.object(
        Notification.objects, "filter", return_value=Notification.objects.none()
    ):
        notify(recipients=[users.worker], kind="k", title="T", dedupe_key="esc:7")
    assert Notification.objects.filter(dedupe_key="esc:7").count() == 1
    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).count() == 1


def test_without_a_key_every_call_notifies(users: RoleUsers) -> None:
    notify(recipients=[users.worker], kind="k", title="T")
    notify(recipients=[users.worker], kind="k", title="T")
    assert Notification.objects.filter(recipient=users.worker).count() == 2


def test_inactive_accounts_are_skipped(users: RoleUsers) -> None:
    users.cadre.is_active = False
    users.cadre.save()
    assert notify(recipients=[users.cadre], kind="k", title="T") == 0


def test_email_outbox_only_for_people_with_an_address(users: RoleUsers) -> None:
    users.worker.email = "worker@example.org"
    users.worker.save()
    notify(recipients=[users.worker, users.cadre], kind="k", title="T")
    assert list(OutboxMessage.objects.values_list("channel", "address")) == [
        (Channel.EMAIL, "worker@example.org")
    ]


def test_webhook_outbox_when_configured(users: RoleUsers, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = "http://gateway.invalid/hook"
    notify(recipients=[users.worker, users.cadre], kind="k", title="T")
    assert OutboxMessage.objects.filter(channel=Channel.WEBHOOK).count() == 2


def test_a_large_recipient_list_is_written_in_a_few_queries(
    users: RoleUsers, django_assert_max_num_queries: Any
) -> None:
    people = [users.worker, users.cadre, users.secretary, users.command, users.resident]
    with django_assert_max_num_queries(4):
        notify(recipients=people, kind="k", title="T", dedupe_key="bulk")
