"""Completion of a task is counted per grid and per community from its items (done and not
applicable both count as handled), and a reader sees only the grids of their jurisdiction."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.fieldwork.tasks import task_completion
from civicgrid.fieldwork.tests.task_helpers import make_task


@pytest.mark.django_db
def test_counts_per_grid_and_community(city: Any, users: Any) -> None:
    west, east, a2 = city.grids["a1_west"], city.grids["a1_east"], city.grids["a2"]
    task = make_task(
        users.command,
        [west, east, a2],
        items={
            west.code: ["done", "done", "na", "todo"],
            east.code: ["todo", "todo"],
            a2.code: ["done"],
        },
    )
    result = task_completion(users.command, task)
    grids = {g.code: (g.done, g.na, g.total, g.percent) for g in result.grids}
    assert grids == {
        west.code: (2, 1, 4, 75),
        east.code: (0, 0, 2, 0),
        a2.code: (1, 0, 1, 100),
    }
    communities = {c.code: (c.finished, c.total, c.grids) for c in result.communities}
    assert communities == {city.comm_a1.code: (3, 6, 2), city.comm_a2.code: (1, 1, 1)}
    assert (result.total.finished, result.total.total, result.total.percent) == (4, 7, 57)
    assert not any(g.overdue for g in result.grids)


@pytest.mark.django_db
def test_a_reader_counts_only_their_grids_and_overdue_is_marked(city: Any, users: Any) -> None:
    west, a2 = city.grids["a1_west"], city.grids["a2"]
    task = make_task(
        users.command,
        [west, a2],
        items={west.code: ["done", "todo"], a2.code: ["done"]},
        deadline=timezone.now() - timedelta(hours=1),
    )
    mine = task_completion(users.worker, task)
    assert [g.code for g in mine.grids] == [west.code]
    assert (mine.total.finished, mine.total.total) == (1, 2)
    assert mine.grids[0].overdue
    street = task_completion(users.command, task)
    overdue = {g.code: g.overdue for g in street.grids}
    assert overdue == {west.code: True, a2.code: False}


@pytest.mark.django_db
def test_completion_is_one_query(city: Any, users: Any, django_assert_num_queries: Any) -> None:
    grids = list(city.grids.values())[:3]
    task = make_task(users.command, grids, items={g.code: ["done", "todo"] for g in grids})
    users.command.scope_codes  # noqa: B018  (the scope is read once per request, cached)
    with django_assert_num_queries(1):
        task_completion(users.command, task)
