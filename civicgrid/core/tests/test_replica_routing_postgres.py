"""Read-replica routing on a real PostgreSQL primary and streaming replica (the pair that
`PGTEST_REPLICA=1 scripts/with_postgres.sh` starts; `make test` does). Replay on the replica
is paused where a test must tell the two apart: a page that shows a row the replica has not
replayed read the primary, one that lacks it read the replica."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import DatabaseError, connections, router
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from civicgrid.core.replica import PIN_COOKIE, REPLICA, ROUTER, reset_replica_health

pytestmark = [
    pytest.mark.skipif(
        REPLICA not in settings.DATABASES,
        reason="needs a streaming replica (PGTEST_REPLICA=1 scripts/with_postgres.sh)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]


@pytest.fixture
def routed(settings: SettingsWrapper) -> Iterator[None]:
    # The suite runs with routing off (config/settings_test.py); these tests switch it on.
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = ["civicgrid.core.replica.ReplicaPinMiddleware", *settings.MIDDLEWARE]
    settings.ROOT_URLCONF = "civicgrid.core.tests.replica_urls"
    reset_replica_health()
    # The previous test's rows are emptied on the primary; on a busy machine the replica can
    # still hold them, and they would answer for this test's (wait for it to catch up).
    deadline = time.monotonic() + 20
    while Group.objects.using(REPLICA).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield
    reset_replica_health()


def on_replica(name: str, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Group.objects.using(REPLICA).filter(name=name).exists():
            return True
        time.sleep(0.05)
    return False


@contextmanager
def replay_paused() -> Iterator[None]:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def group_reads(alias: str, captured: CaptureQueriesContext) -> int:
    return sum('"auth_group"' in q["sql"] for q in captured.captured_queries)


def names(client: Client, url: str, **kwargs: str) -> list[str]:
    response = client.post(url, kwargs) if kwargs else client.get(url)
    assert response.status_code == 200
    return list(response.json()["names"])


def test_a_replicated_row_is_read_on_the_replica_by_a_marked_page(routed: None) -> None:
    Group.objects.create(name="A replicated")
    assert on_replica("A replicated")
    client = Client()
    with (
        CaptureQueriesContext(connections[REPLICA]) as replica_queries,
        CaptureQueriesContext(connections["default"]) as primary_queries,
    ):
        assert names(client, "/report/") == ["A replicated"]
    assert group_reads(REPLICA, replica_queries) == 1
    assert group_reads("default", primary_queries) == 0

    with replay_paused():
        Group.objects.create(name="B not yet replayed")
        # The marked page reads the replica, which has not replayed B; the exact page does not.
        assert names(client, "/report/") == ["A replicated"]
        assert names(client, "/exact/") == ["A replicated", "B not yet replayed"]
    assert on_replica("B not yet replayed")
    assert names(client, "/report/") == ["A replicated", "B not yet replayed"]


def test_writes_go_to_the_primary_and_the_writer_reads_the_primary(routed: None) -> None:
    Group.objects.create(name="A replicated")
    assert on_replica("A replicated")
    client = Client()
    with replay_paused():
        # The write inside a marked page succeeds (on the replica it would fail, below), and
        # the same request's read after it sees it: it read the primary.
        assert names(client, "/add/", name="C written") == ["A replicated", "C written"]
        assert client.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
        # The browser that wrote is pinned to the primary for the next pages.
        with CaptureQueriesContext(connections[REPLICA]) as replica_queries:
            assert names(client, "/report/") == ["A replicated", "C written"]
        assert group_reads(REPLICA, replica_queries) == 0
        # Another browser still gets the replica's (lagging) answer.
        assert names(Client(), "/report/") == ["A replicated"]


def test_the_replica_refuses_writes_and_migrations_target_the_primary(routed: None) -> None:
    with pytest.raises(DatabaseError, match="read-only"):
        Group.objects.using(REPLICA).create(name="never")
    assert router.allow_migrate(REPLICA, "core") is False
    assert router.allow_migrate("default", "core") is True


def test_a_replica_too_far_behind_is_skipped(routed: None, settings: SettingsWrapper) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = 0
    Group.objects.create(name="A replicated")
    assert on_replica("A replicated")
    with replay_paused():
        Group.objects.create(name="B not yet replayed")
        time.sleep(1.2)  # B's commit reached the replica, which is now over a second behind
        assert names(Client(), "/report/") == ["A replicated", "B not yet replayed"]
