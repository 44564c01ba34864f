"""一日双巡 is judged on working days only (core.worktime: weekends, holidays, make-up
workdays). A rest day gets no verdict, so the calendar leaves it blank and assessment does not
count it as a day the worker had to patrol; verdicts an earlier version stored on rest days are
removed by the job, and the patrols themselves stay."""

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import clear_calendar_cache
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.models import DailyCompliance, Patrol
from civicgrid.fieldwork.tests.page_helpers import make_verdict
from civicgrid.fieldwork.tests.walks import MONDAY, SHANGHAI, at, inside_walk, walk

FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)
SUNDAY = date(2026, 11, 29)
# The scheduler's nightly run (00:30) after Sunday: it judges "yesterday".
MONDAY_NIGHT = datetime(2026, 11, 30, 0, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_work_calendar() -> Iterator[None]:
    # Rolled-back calendar rows send no signal; never let them linger in the process cache.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


def run(*args: str, now: datetime = MONDAY_NIGHT) -> str:
    out = StringIO()
    with time_machine.travel(now, tick=False):
        call_command("patrol_compliance", *args, stdout=out)
    return out.getvalue()


def test_a_saturday_is_not_judged(users: Any) -> None:
    out = run("--date", SATURDAY.isoformat())
    assert "非工作日" in out
    assert not DailyCompliance.objects.filter(day=SATURDAY).exists()
    # A working day still is: every grid worker, patrolled or not.
    compliance_for_day(MONDAY)
    assert set(DailyCompliance.objects.values_list("worker__username", "status")) == {
        ("worker", ComplianceStatus.NONE),
        ("outsider", ComplianceStatus.NONE),
    }


def test_a_rest_day_patrol_stays_and_is_not_held_against_the_worker(users: Any) -> None:
    # One patrol on a Saturday would be 只巡一次 on a working day.
    saturday_walk = inside_walk(at(9, day=SATURDAY))
    patrol = walk(users.worker, saturday_walk, now=at(21, day=SATURDAY))
    assert compliance_for_day(SATURDAY) == 0
    assert not DailyCompliance.objects.exists()
    assert Patrol.objects.filter(pk=patrol.pk, ended_at__isnull=False).exists()


def test_the_admin_calendar_decides(users: Any) -> None:
    # A make-up working Saturday is judged; a weekday declared a holiday is not.
    WorkCalendarDay.objects.create(date=SATURDAY, is_workday=True, note="调休上班")
    WorkCalendarDay.objects.create(date=MONDAY, is_workday=False, note="地方假日")
    assert compliance_for_day(SATURDAY) == 2
    assert compliance_for_day(MONDAY) == 0
    assert set(DailyCompliance.objects.values_list("day", flat=True)) == {SATURDAY}


def test_verdicts_stored_on_rest_days_are_removed(users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    # What the nightly job of an earlier version left: 未巡查 on Saturday and on a holiday of
    # last month (2026-10-01, 国庆节), and a real verdict on Friday.
    make_verdict(users.worker, grid, SATURDAY, ComplianceStatus.NONE)
    make_verdict(users.worker, grid, date(2026, 10, 1), ComplianceStatus.NONE)
    friday = make_verdict(users.worker, grid, FRIDAY, ComplianceStatus.COMPLIANT)

    out = run()  # the scheduler's run: judges Sunday, the day before
    assert "2026-11-29:非工作日" in out
    assert "清除非工作日的一日双巡结果 2 条" in out
    assert list(DailyCompliance.objects.values_list("pk", flat=True)) == [friday.pk]
    # Running again changes nothing.
    assert "清除非工作日" not in run()
    assert list(DailyCompliance.objects.values_list("pk", flat=True)) == [friday.pk]

    # Judging one day by hand clears that day too, within the codes asked for.
    make_verdict(users.worker, grid, SUNDAY, ComplianceStatus.NONE)
    make_verdict(users.outsider, city.grids["b1"], SUNDAY, ComplianceStatus.NONE)
    compliance_for_day(SUNDAY, codes=[city.street_b.code])
    assert list(DailyCompliance.objects.filter(day=SUNDAY).values_list("worker", flat=True)) == [
        users.worker.pk
    ]


def test_the_calendar_leaves_a_rest_day_blank(client: Any, users: Any) -> None:
    run("--date", SATURDAY.isoformat(), "--days", "2")  # Friday and Saturday, nobody walked
    client.force_login(users.worker)
    body = client.get("/fieldwork/calendar/?month=2026-11").content.decode()
    assert 'st-none" data-day="2026-11-27"' in body
    assert re.search(r'class="[^"]*\bst-[^"]*" data-day="2026-11-28"', body) is None


def test_rest_days_do_not_count_as_days_to_patrol(users: Any, city: Any) -> None:
    # Two working days walked twice; the weekend in between not walked.
    for day in (FRIDAY, MONDAY + timedelta(days=7)):  # around the weekend of the 28th
        walk(users.worker, inside_walk(at(9, day=day)), now=at(21, day=day))
        walk(users.worker, inside_walk(at(15, day=day)), now=at(21, day=day))
    next_monday = MONDAY + timedelta(days=7)
    run("--date", next_monday.isoformat(), "--days", "4", now=at(21, day=next_monday))
    with time_machine.travel(at(21, day=next_monday), tick=False):
        rollup(FRIDAY, next_monday)
        results = compute_results(PeriodKind.MONTH, date(2026, 11, 1), Level.WORKER)
    [worker] = [r for r in results if r.key == str(users.worker.pk)]
    patrol = worker.figures["patrol_rate"]
    assert (patrol["numerator"], patrol["denominator"], patrol["value"]) == (2, 2, 100.0)
