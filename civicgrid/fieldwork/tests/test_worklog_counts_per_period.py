"""Counts per worker per day, week and month against hand-made records. Rule: an entry counts
on the local day of its time; a patrol's time is its start, so a patrol crossing midnight
counts (with all its minutes and distance) on the day it started."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from civicgrid.fieldwork import worklog
from civicgrid.fieldwork.tests.test_worklog_records import (
    DAY,
    at,
    edited_person,
    one_of_each,
    patrol,
    verified,
    visit,
)
from civicgrid.registry.tests.factories import resident_id


def _row(rows: list[worklog.StatsRow], worker: Any, first: Any = None) -> dict[str, Any]:
    found = [
        r for r in rows if r.worker_id == worker.pk and (first is None or r.period_start == first)
    ]
    assert len(found) == 1, found
    return found[0].counts


def test_one_day_of_each_kind(users: Any, city: Any) -> None:
    one_of_each(users, city)
    rows = worklog.stats(users.secretary, period="day", day_from=DAY)
    assert _row(rows, users.worker) == {
        "patrols": 1,
        "patrol_minutes": 45,
        "distance_km": 1.5,
        "visits": 1,
        "cases_reported": 1,
        "cases_verified": 1,
        "ledger_edits": 1,
        "task_items": 0,
    }


def test_a_patrol_crossing_midnight_counts_on_its_start_day(users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    patrol(users.worker, grid, at(23, 30), minutes=60, metres=2000)
    rows = worklog.stats(users.command, period="day", day_from=DAY, day_to=DAY + timedelta(days=1))
    first = _row(rows, users.worker, DAY)
    second = _row(rows, users.worker, DAY + timedelta(days=1))
    assert (first["patrols"], first["patrol_minutes"], first["distance_km"]) == (1, 60, 2.0)
    assert (second["patrols"], second["patrol_minutes"]) == (0, 0)


def test_week_and_month_add_the_days_up(users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    worker = users.worker
    made = one_of_each(users, city)  # Wednesday 18 November
    patrol(worker, grid, at(9, day=DAY + timedelta(days=4)), minutes=30, metres=800)  # Sunday
    visit(worker, grid, at(10, day=DAY + timedelta(days=5)))  # Monday 23: next week
    verified(worker, made["case"], at(16, day=DAY - timedelta(days=17)))  # 1 November
    edited_person(
        worker, grid, at(9, day=DAY + timedelta(days=13)), "王五", resident_id()
    )  # 1 December

    week = _row(worklog.stats(users.secretary, period="week", day_from=DAY), worker)
    assert (week["patrols"], week["patrol_minutes"], week["distance_km"]) == (2, 75, 2.3)
    assert (week["visits"], week["cases_verified"], week["ledger_edits"]) == (1, 1, 1)

    month = _row(worklog.stats(users.secretary, period="month", day_from=DAY), worker)
    assert (month["patrols"], month["visits"], month["cases_verified"]) == (2, 2, 2)
    assert (month["cases_reported"], month["ledger_edits"]) == (1, 1)


def test_every_worker_of_the_jurisdiction_has_a_row_even_without_work(users: Any) -> None:
    rows = worklog.stats(users.command, period="month", day_from=DAY)
    assert [r.worker_id for r in rows] == [users.worker.pk]
    assert rows[0].grids and rows[0].community
    assert all(v == 0 for v in rows[0].counts.values())
    # A grid worker counts only themselves; the outsider's street is not the command's.
    assert [r.worker_id for r in worklog.stats(users.outsider, period="day", day_from=DAY)] == [
        users.outsider.pk
    ]


def test_too_many_periods_are_refused(users: Any) -> None:
    import pytest

    with pytest.raises(ValueError, match="最多"):
        worklog.stats(users.command, period="day", day_from=DAY, day_to=DAY + timedelta(days=60))
