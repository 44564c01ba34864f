"""The task pages cost the same number of queries whatever the number of grids and items
(docs/architecture.md rule 6): completion is one aggregate, items a page."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.fieldwork.tests.task_helpers import make_task


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["command", "worker"])
def test_pages_do_not_grow_with_items(client: Any, city: Any, users: Any, who: str) -> None:
    grids = [g for g in city.grids.values() if g.code.startswith(city.street_a.code)]
    small = make_task(users.command, grids, items={g.code: ["todo", "done"] for g in grids})
    big = make_task(users.command, grids, items={g.code: ["todo", "done", "na"] * 8 for g in grids})
    client.force_login(getattr(users, who))
    client.get("/fieldwork/tasks/")  # the first request after sign-in stamps the session
    assert _count(client, f"/fieldwork/tasks/{big.pk}/") == _count(
        client, f"/fieldwork/tasks/{small.pk}/"
    )
    one = _count(client, "/fieldwork/tasks/")
    make_task(users.command, grids, items={g.code: ["todo"] * 5 for g in grids})
    assert _count(client, "/fieldwork/tasks/") == one
