"""The work log merges the records themselves, newest first, each record once."""

from __future__ import annotations

from typing import Any

from civicgrid.fieldwork import worklog
from civicgrid.fieldwork.tests.test_worklog_records import DAY, at, one_of_each


def test_a_days_kinds_come_in_time_order_each_once(users: Any, city: Any) -> None:
    made = one_of_each(users, city)
    page = worklog.timeline(workers=[users.worker], grid_prefix=None, day=DAY)
    kinds = [(e["kind"], e["at"]) for e in page.entries]
    assert kinds == [
        ("ledger_edit", at(14)),
        ("case_verify", at(11)),
        ("case_report", at(10)),
        ("visit", at(9, 30)),
        ("patrol", at(8)),
    ]
    assert [d.day for d in page.days] == [DAY]
    patrol = page.entries[-1]
    assert patrol["url"] == f"/fieldwork/patrols/{made['patrol'].pk}/"
    assert "45 分钟" in patrol["title"] and "1.5 公里" in patrol["title"]
    assert made["case"].number in page.entries[2]["title"]
    assert all(e["worker_id"] == users.worker.pk for e in page.entries)


def test_the_grid_log_holds_the_same_work_and_not_residents_reports(users: Any, city: Any) -> None:
    from civicgrid.cases.choices import Channel
    from civicgrid.testing.cases import report_case

    one_of_each(users, city)
    # A resident's report in the same grid is not a grid worker's work.
    report_case(users.resident, at=at(12), channel=Channel.RESIDENT)
    page = worklog.timeline(workers=None, grid_prefix=city.grids["a1_west"].code, day=DAY)
    assert len(page.entries) == 5
    other = worklog.timeline(workers=None, grid_prefix=city.grids["a1_east"].code, day=DAY)
    assert other.entries == []


def test_the_week_page_walks_back_and_forth(users: Any, city: Any) -> None:
    from datetime import timedelta

    one_of_each(users, city)
    week = worklog.timeline(
        workers=[users.worker], grid_prefix=None, day=DAY + timedelta(days=3), span="week"
    )
    assert len(week.entries) == 5
    assert week.older == DAY + timedelta(days=3) - timedelta(days=7)
    before = worklog.timeline(workers=[users.worker], grid_prefix=None, day=week.older, span="week")
    assert before.entries == []
