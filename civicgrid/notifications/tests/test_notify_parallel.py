"""Escalation run twice in parallel notifies once (real concurrent transactions)."""

import threading
from typing import Any

import pytest
from django.db import connection, connections

from civicgrid.notifications.models import Notification, OutboxMessage
from civicgrid.notifications.services import notify
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; nothing runs in parallel"
)
def test_escalation_run_twice_in_parallel_notifies_once(users: RoleUsers, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = ""
    users.command.email = "command@example.org"
    users.command.save()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def escalate() -> None:
        try:
            barrier.wait()
            notify(
                recipients=[users.command], kind="case_overdue", title="超期", dedupe_key="esc:1"
            )
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=escalate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notification.objects.filter(dedupe_key="esc:1").count() == 1
    assert OutboxMessage.objects.count() == 1
