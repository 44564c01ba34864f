"""A page of the work log costs one query per source whatever the number of records, and the
counts one query per source plus the workers and their grids."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from civicgrid.fieldwork import worklog
from civicgrid.fieldwork.tests.test_worklog_records import (
    DAY,
    at,
    edited_person,
    patrol,
    reported,
    verified,
    visit,
)
from civicgrid.registry.tests.factories import resident_id


def _busy_week(users: Any, city: Any, n: int) -> None:
    grid = city.grids["a1_west"]
    worker = users.worker
    for i in range(n):
        when = at(8, i, day=DAY - timedelta(days=i % 7))
        patrol(worker, grid, when)
        visit(worker, grid, when + timedelta(minutes=1))
        case = reported(worker, when + timedelta(minutes=2))
        verified(worker, case, when + timedelta(minutes=3))
        edited_person(worker, grid, when + timedelta(minutes=4), f"张{i}", resident_id())


def test_a_week_page_is_one_query_per_source(
    users: Any, city: Any, django_assert_max_num_queries: Any
) -> None:
    _busy_week(users, city, 3)
    with django_assert_max_num_queries(len(worklog.SOURCES)):
        few = worklog.timeline(workers=[users.worker.pk], grid_prefix=None, day=DAY, span="week")
    _busy_week(users, city, 9)
    with django_assert_max_num_queries(len(worklog.SOURCES)):
        many = worklog.timeline(workers=[users.worker.pk], grid_prefix=None, day=DAY, span="week")
    assert len(few.entries) == 15 and len(many.entries) == 60


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_pages_cost_the_same_with_ten_times_the_records(
    users: Any, city: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(users.secretary)
    log = f"/fieldwork/worklog/worker/{users.worker.pk}/?day={DAY:%Y-%m-%d}&span=week"
    counts = f"/fieldwork/worklog/stats/?period=week&date={DAY:%Y-%m-%d}"
    _busy_week(users, city, 1)
    _queries(client, log)  # the audit trail's first entry sets the trail up
    few = {url: _queries(client, url) for url in (log, counts)}
    _busy_week(users, city, 10)
    for url, baseline in few.items():
        with django_assert_max_num_queries(baseline):
            assert client.get(url).status_code == 200
