"""An intake request over the API runs a fixed, small number of queries in one write
transaction: no read-back of the case, categories and rules from the prepared lookups, no
session write (docs/architecture.md "Cases: intake")."""

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicgrid.cases.choices import Channel
from civicgrid.testing.cases import IN_A1_WEST
from civicgrid.testing.users import RoleUsers

BODY = {
    "channel": Channel.GRID_WORKER,
    "category": "0102",
    "description": "垃圾桶满溢",
    "lat": IN_A1_WEST[0],
    "lng": IN_A1_WEST[1],
    "reporter_phone": "13800005678",
}


def _post(client: Client) -> Any:
    return client.post("/api/v1/cases/", json.dumps(BODY), content_type="application/json")


def test_intake_query_count_is_pinned(users: RoleUsers, django_assert_max_num_queries: Any) -> None:
    client = Client()
    client.force_login(users.worker)
    assert _post(client).status_code == 201  # warms the lookups and the day's number
    # session, user, grid index version, number, case, event, notification recipients and
    # rows (in a savepoint), the reporter's scope, the grid's name: 14 here, where the test's
    # own transaction turns BEGIN/COMMIT into savepoints.
    with django_assert_max_num_queries(14):
        assert _post(client).status_code == 201


def test_intake_writes_in_one_transaction(users: RoleUsers) -> None:
    client = Client()
    client.force_login(users.worker)
    assert _post(client).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        assert _post(client).status_code == 201
    sqls = [q["sql"].upper() for q in ctx.captured_queries]
    writes = [i for i, q in enumerate(sqls) if q.startswith(("INSERT", "UPDATE", "DELETE"))]
    # Every write sits inside the request's one outer transaction (a savepoint under the
    # test's own transaction), the notification rows included, and no session is saved.
    outer = next(i for i, q in enumerate(sqls) if q.startswith("SAVEPOINT"))
    released = max(i for i, q in enumerate(sqls) if q.startswith("RELEASE SAVEPOINT"))
    assert writes and all(outer < i < released for i in writes)
    assert not any("DJANGO_SESSION" in sqls[i] for i in writes)
    assert sum(1 for q in sqls if q.startswith("SAVEPOINT")) <= 2
