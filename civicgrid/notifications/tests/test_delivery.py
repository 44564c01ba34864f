"""The outbox is sent after commit, by e-mail through Django's backend."""

from typing import Any

import pytest
from django.db import transaction

from civicgrid.notifications.choices import OutboxStatus
from civicgrid.notifications.models import Notification, OutboxMessage
from civicgrid.notifications.services import notify, notify_contact
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(users: RoleUsers) -> Any:
    users.worker.email = "worker@example.org"
    users.worker.save()
    return users.worker


def test_email_is_sent_after_commit(
    worker: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[worker], kind="case", title="新案件", body="请处理", url="/cases/1/")
    assert [m.to for m in mailoutbox] == [["worker@example.org"]]
    assert mailoutbox[0].subject == "新案件"
    assert "http://127.0.0.1:8000/cases/1/" in mailoutbox[0].body
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1


def test_nothing_is_sent_before_commit(
    worker: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[worker], kind="case", title="T")
    assert mailoutbox == []
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back(
    worker: Any, mailoutbox: list[Any]
) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify(recipients=[worker], kind="case", title="T")
        raise Boom
    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_sent_at_once(worker: Any, mailoutbox: list[Any]) -> None:
    notify(recipients=[worker], kind="case", title="T")
    assert len(mailoutbox) == 1


def test_a_resident_without_account_gets_an_email(
    db: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queued = notify_contact(email="jumin@example.org", kind="case", title="您反映的问题已受理")
    assert queued == 1
    assert mailoutbox[0].to == ["jumin@example.org"]


def test_contact_dedupe_sends_once(db: Any, mailoutbox: list[Any], settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = "http://gateway.invalid/hook"
    first = notify_contact(
        phone="13800138000", email="a@example.org", kind="k", title="T", dedupe_key="c:1"
    )
    again = notify_contact(
        phone="138 0013 8000", email="a@example.org", kind="k", title="T", dedupe_key="c:1"
    )
    assert (first, again) == (2, 0)


def test_sms_needs_the_gateway(db: Any, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = ""
    assert notify_contact(phone="13800138000", kind="k", title="T") == 0
