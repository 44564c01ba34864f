"""The day list, the flags, the calendar and the patrol page cost the same number of queries
however many rows they show (docs/architecture.md rule 6)."""

from datetime import date, timedelta
from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.tests.page_helpers import make_flag, make_patrol, make_verdict
from civicgrid.testing.queries import count_queries
from civicgrid.testing.users import make_user

DAY = date(2026, 5, 6)


def _workers(city: Any, n: int, start: int) -> list[Any]:
    grid = city.grids["a1_west"]
    return [make_user(f"w{start + i}", Role.GRID_WORKER, grid.code) for i in range(n)]


@pytest.mark.django_db
def test_day_list_and_flags_do_not_grow_with_rows(client: Any, users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.secretary)

    def add(n: int, start: int) -> None:
        for worker in _workers(city, n, start):
            make_verdict(worker, grid, DAY)
            make_flag(make_patrol(worker, grid, points=2))

    add(2, 0)
    day_few = count_queries(client, "/fieldwork/compliance/?day=2026-05-06")
    flags_few = count_queries(client, "/fieldwork/flags/")
    add(12, 10)
    assert count_queries(client, "/fieldwork/compliance/?day=2026-05-06") == day_few
    assert count_queries(client, "/fieldwork/flags/") == flags_few


@pytest.mark.django_db
def test_calendar_and_patrol_page_do_not_grow_with_rows(client: Any, users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.worker)
    make_verdict(users.worker, grid, DAY)
    make_flag(make_patrol(users.worker, grid, points=2))
    calendar_few = count_queries(client, "/fieldwork/calendar/?month=2026-05")
    patrol_few = count_queries(client, "/fieldwork/patrol/")
    for i in range(1, 12):
        make_verdict(users.worker, grid, DAY + timedelta(days=i))
        make_flag(make_patrol(users.worker, grid, points=2))
    assert count_queries(client, "/fieldwork/calendar/?month=2026-05") == calendar_few
    assert count_queries(client, "/fieldwork/patrol/") == patrol_few
