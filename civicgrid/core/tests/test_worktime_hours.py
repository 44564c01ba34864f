"""Deadline arithmetic in working hours and days with the default 09:00-12:00, 13:30-17:30."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import (
    WorkUnit,
    add_working_days,
    add_working_hours,
    add_working_time,
    working_hours_between,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_hours_within_a_morning() -> None:
    assert add_working_hours(at("2026-11-23 09:00"), 2) == at("2026-11-23 11:00")


def test_hours_skip_the_lunch_break() -> None:
    assert add_working_hours(at("2026-11-23 11:00"), 2) == at("2026-11-23 14:30")


def test_hours_that_use_up_the_morning_end_at_noon() -> None:
    assert add_working_hours(at("2026-11-23 09:00"), 3) == at("2026-11-23 12:00")


def test_hours_continue_next_morning_after_close() -> None:
    assert add_working_hours(at("2026-11-23 16:30"), 2) == at("2026-11-24 10:00")


def test_a_start_in_the_evening_counts_from_next_opening() -> None:
    assert add_working_hours(at("2026-11-23 20:00"), 1) == at("2026-11-24 10:00")


def test_hours_skip_the_weekend() -> None:
    assert add_working_hours(at("2026-11-27 17:00"), 1) == at("2026-11-30 09:30")


def test_hours_skip_the_spring_festival_and_use_the_make_up_saturday() -> None:
    # Fri 13 Feb 2026 → Sat 14 Feb is a make-up workday → 15–23 Feb off.
    assert add_working_hours(at("2026-02-13 17:00"), 1) == at("2026-02-14 09:30")
    assert add_working_hours(at("2026-02-14 17:00"), 1) == at("2026-02-24 09:30")


def test_hours_across_national_day_2026() -> None:
    # Wed 30 Sep close → holidays 1–7 Oct → Thu 8 Oct.
    assert add_working_hours(at("2026-09-30 17:00"), 4) == at("2026-10-08 14:00")


def test_utc_input_is_counted_in_local_time() -> None:
    start = datetime(2026, 11, 23, 1, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Shanghai
    assert add_working_hours(start, 1) == at("2026-11-23 10:00")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_hours(datetime(2026, 11, 23, 9), 1)


def test_days_end_at_close_of_business() -> None:
    assert add_working_days(at("2026-11-23 10:00"), 1) == at("2026-11-24 17:30")


def test_zero_days_is_close_of_business_of_the_next_working_day() -> None:
    assert add_working_days(at("2026-11-28 10:00"), 0) == at("2026-11-30 17:30")


def test_days_across_spring_festival_2026() -> None:
    # Thu 12 Feb + 3 working days: Fri 13, Sat 14 (make-up), Tue 24.
    assert add_working_days(at("2026-02-12 10:00"), 3) == at("2026-02-24 17:30")


def test_days_across_national_day_2026() -> None:
    # Tue 29 Sep + 5: 30 Sep, 8, 9, 10 (make-up Saturday), 12 Oct.
    assert add_working_days(at("2026-09-29 10:00"), 5) == at("2026-10-12 17:30")


def test_days_into_2027_use_the_admin_table() -> None:
    WorkCalendarDay.objects.create(date=datetime(2027, 1, 1).date(), is_workday=False, note="元旦")
    # Thu 31 Dec 2026 + 1: Fri 1 Jan 2027 is 元旦 → Mon 4 Jan.
    assert add_working_days(at("2026-12-31 10:00"), 1) == at("2027-01-04 17:30")


def test_days_into_2027_without_table_count_weekdays() -> None:
    assert add_working_days(at("2026-12-31 10:00"), 1) == at("2027-01-01 17:30")


def test_add_working_time_accepts_unit_choices_and_plain_strings() -> None:
    start = at("2026-11-23 09:00")
    assert add_working_time(start, 2, WorkUnit.HOURS) == add_working_hours(start, 2)
    assert add_working_time(start, 2, "days") == add_working_days(start, 2)


def test_add_working_time_refuses_unknown_units_and_fractional_days() -> None:
    with pytest.raises(ValueError):
        add_working_time(at("2026-11-23 09:00"), 1, "weeks")
    with pytest.raises(ValueError):
        add_working_time(at("2026-11-23 09:00"), 1.5, WorkUnit.DAYS)


def test_hours_between_count_only_working_time() -> None:
    assert working_hours_between(at("2026-11-23 11:00"), at("2026-11-23 14:30")) == 2
    assert working_hours_between(at("2026-11-27 17:00"), at("2026-11-30 09:30")) == 1


def test_hours_between_a_whole_working_day() -> None:
    assert working_hours_between(at("2026-11-23 00:00"), at("2026-11-24 00:00")) == 7


def test_hours_between_is_negative_backwards() -> None:
    assert working_hours_between(at("2026-11-23 14:30"), at("2026-11-23 11:00")) == -2


def test_an_activated_user_time_zone_does_not_move_the_working_day() -> None:
    from django.utils import timezone

    with timezone.override(ZoneInfo("Europe/London")):
        assert add_working_hours(at("2026-11-23 09:00"), 1) == at("2026-11-23 10:00")
