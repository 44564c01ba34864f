"""Webhook and SMS go to the gateway as JSON; failures are retried with backoff."""

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from civicgrid.notifications.choices import Channel, OutboxStatus
from civicgrid.notifications.delivery import deliver_due, retry_delay
from civicgrid.notifications.models import OutboxMessage
from civicgrid.notifications.services import notify, notify_contact
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


class Gateway:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.status = 200


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.received.append(json.loads(self.rfile.read(length)))
            state.headers.append(dict(self.headers))
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    settings.NOTIFY_WEBHOOK_TOKEN = "s3cret"
    yield state
    server.shutdown()
    server.server_close()


def test_staff_message_is_posted_to_the_webhook(users: RoleUsers, gateway: Gateway) -> None:
    notify(recipients=[users.worker], kind="case", title="新案件", url="/cases/3/")
    assert deliver_due() == (1, 0)
    [data] = gateway.received
    assert (data["channel"], data["title"], data["username"]) == ("webhook", "新案件", "worker")
    assert data["url"] == "http://127.0.0.1:8000/cases/3/"
    assert gateway.headers[0]["Authorization"] == "Bearer s3cret"


def test_sms_to_a_resident_carries_the_phone(db: Any, gateway: Gateway) -> None:
    notify_contact(phone="13800138000", kind="case", title="您反映的问题已办结")
    deliver_due()
    assert gateway.received[0]["channel"] == "sms"
    assert gateway.received[0]["to"] == "13800138000"


def test_the_phone_is_encrypted_at_rest(db: Any, gateway: Gateway) -> None:
    notify_contact(phone="13800138000", kind="case", title="T")
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notifications_outboxmessage")
        [(stored,)] = cursor.fetchall()
    assert "13800138000" not in stored


def test_a_failed_post_is_retried_later(users: RoleUsers, gateway: Gateway) -> None:
    gateway.status = 503
    notify(recipients=[users.worker], kind="case", title="T")
    assert deliver_due() == (0, 1)
    message = OutboxMessage.objects.get(channel=Channel.WEBHOOK)
    assert message.status == OutboxStatus.PENDING
    assert "503" in message.last_error
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert deliver_due() == (0, 0)  # not due yet


def test_the_backoff_doubles() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_after_the_last_attempt_it_stays_failed(
    users: RoleUsers, gateway: Gateway, settings: Any
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 2
    gateway.status = 500
    notify(recipients=[users.worker], kind="case", title="T")
    for _ in range(2):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        deliver_due()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)


def test_an_unreachable_gateway_is_a_recorded_failure(users: RoleUsers, settings: Any) -> None:
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/hook"  # discard port: connection refused
    settings.NOTIFY_WEBHOOK_TIMEOUT = 2
    notify(recipients=[users.worker], kind="case", title="T")
    assert deliver_due() == (0, 1)
    assert OutboxMessage.objects.get().last_error
