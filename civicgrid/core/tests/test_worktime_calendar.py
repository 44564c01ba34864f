"""Which days count: chinesecalendar for 2026, the admin table for 2027, weekends otherwise."""

import time
from datetime import date
from typing import Any
from unittest import mock

import pytest

from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import calendar_covers, is_workday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day",
    ["2026-02-16", "2026-02-17", "2026-02-20", "2026-02-23"],  # 春节 on weekdays
)
def test_spring_festival_2026_weekdays_are_holidays(day: str) -> None:
    assert not is_workday(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-02-14", "2026-02-28"])  # Saturdays
def test_spring_festival_2026_make_up_saturdays_are_workdays(day: str) -> None:
    assert is_workday(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-07"])
def test_national_day_2026_weekdays_are_holidays(day: str) -> None:
    assert not is_workday(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-09-20", "2026-10-10"])  # a Sunday and a Saturday
def test_national_day_2026_make_up_weekend_days_are_workdays(day: str) -> None:
    assert is_workday(date.fromisoformat(day))


def test_an_ordinary_2026_weekend_is_not_a_workday() -> None:
    assert not is_workday(date(2026, 11, 28))
    assert is_workday(date(2026, 11, 27))


def test_2027_without_table_falls_back_to_weekends() -> None:
    assert not calendar_covers(2027)
    assert is_workday(date(2027, 2, 8))  # a Monday (would be 春节 week) counts as a workday
    assert not is_workday(date(2027, 2, 6))  # Saturday


def test_2027_rows_entered_by_an_admin_are_used() -> None:
    WorkCalendarDay.objects.create(date=date(2027, 2, 8), is_workday=False, note="春节")
    WorkCalendarDay.objects.create(date=date(2027, 2, 6), is_workday=True, note="调休上班")
    assert not is_workday(date(2027, 2, 8))
    assert is_workday(date(2027, 2, 6))
    assert calendar_covers(2027)


def test_the_admin_table_overrides_chinesecalendar_for_a_local_day() -> None:
    WorkCalendarDay.objects.create(date=date(2026, 12, 1), is_workday=False, note="地方节日")
    assert not is_workday(date(2026, 12, 1))


def test_editing_a_row_takes_effect_without_restart() -> None:
    row = WorkCalendarDay.objects.create(date=date(2027, 3, 1), is_workday=False)
    assert not is_workday(date(2027, 3, 1))
    row.is_workday = True
    row.save()
    assert is_workday(date(2027, 3, 1))


def test_cached_calendar_needs_no_query(django_assert_num_queries: Any, settings: Any) -> None:
    settings.WORK_CALENDAR_CACHE_SECONDS = 300
    is_workday(date(2026, 5, 6))
    with django_assert_num_queries(0):
        for day in range(1, 29):
            is_workday(date(2026, 2, day))


def test_another_processes_change_is_seen_after_the_cache_age(settings: Any) -> None:
    settings.WORK_CALENDAR_CACHE_SECONDS = 300
    is_workday(date(2027, 3, 1))
    # A row written without signals, as by another process.
    WorkCalendarDay.objects.bulk_create([WorkCalendarDay(date=date(2027, 3, 1), is_workday=False)])
    assert is_workday(date(2027, 3, 1))
    later = time.monotonic() + 301
    with mock.patch("civicgrid.core.worktime.monotonic_time.monotonic", return_value=later):
        assert not is_workday(date(2027, 3, 1))


def test_with_cache_age_zero_the_table_is_kept_until_a_change(settings: Any) -> None:
    settings.WORK_CALENDAR_CACHE_SECONDS = 0
    is_workday(date(2027, 3, 1))
    WorkCalendarDay.objects.bulk_create([WorkCalendarDay(date=date(2027, 3, 1), is_workday=False)])
    with mock.patch("civicgrid.core.worktime.monotonic_time.monotonic", return_value=1e12):
        assert is_workday(date(2027, 3, 1))
