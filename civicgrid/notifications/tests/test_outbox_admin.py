from typing import Any

import pytest

from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.models import OutboxMessage
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
URL = "/admin/notifications/outboxmessage/"


@pytest.fixture
def sysadmin(users: RoleUsers) -> Any:
    users.sysadmin.is_staff = users.sysadmin.is_superuser = True
    users.sysadmin.save()
    return users.sysadmin


def failed_sms() -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.SMS,
        address="13800138000",
        subject="T",
        status=OutboxStatus.FAILED,
        attempts=5,
    )


def test_addresses_are_masked_in_the_admin(client: Any, sysadmin: Any) -> None:
    failed_sms()
    client.force_login(sysadmin)
    body = client.get(URL).content.decode()
    assert "138****8000" in body
    assert "13800138000" not in body


def test_requeue_gives_failed_messages_new_attempts(client: Any, sysadmin: Any) -> None:
    message = failed_sms()
    client.force_login(sysadmin)
    client.post(URL, {"action": "requeue", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
