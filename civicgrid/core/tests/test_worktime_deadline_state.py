from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.worktime import DeadlineState, deadline_state

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


# Started Monday 09:00, due Tuesday 17:30: 14 working hours allowed, 20 % is 2.8 hours.
STARTED, DUE = at("2026-11-23 09:00"), at("2026-11-24 17:30")


def test_no_deadline_has_no_state() -> None:
    assert deadline_state(None) is None


def test_plenty_of_time_left_is_on_time() -> None:
    assert deadline_state(DUE, at("2026-11-24 09:00"), started=STARTED) == DeadlineState.ON_TIME


def test_exactly_twenty_percent_left_is_still_on_time() -> None:
    # 14:42 leaves 2.8 working hours.
    assert deadline_state(DUE, at("2026-11-24 14:42"), started=STARTED) == DeadlineState.ON_TIME


def test_less_than_twenty_percent_left_is_due_soon() -> None:
    assert deadline_state(DUE, at("2026-11-24 14:43"), started=STARTED) == DeadlineState.DUE_SOON


def test_at_the_deadline_it_is_due_soon_not_overdue() -> None:
    assert deadline_state(DUE, DUE, started=STARTED) == DeadlineState.DUE_SOON


def test_after_the_deadline_is_overdue() -> None:
    assert deadline_state(DUE, at("2026-11-24 17:31"), started=STARTED) == DeadlineState.OVERDUE


def test_without_start_two_working_hours_is_the_threshold() -> None:
    assert deadline_state(DUE, at("2026-11-24 15:30")) == DeadlineState.ON_TIME
    assert deadline_state(DUE, at("2026-11-24 15:31")) == DeadlineState.DUE_SOON


def test_a_weekend_before_a_monday_morning_deadline_is_due_soon() -> None:
    assert deadline_state(at("2026-11-30 10:00"), at("2026-11-28 12:00")) == DeadlineState.DUE_SOON


def test_thresholds_are_settings(settings: Any) -> None:
    settings.DEADLINE_DUE_SOON_PERCENT = 50
    assert deadline_state(DUE, at("2026-11-24 10:00"), started=STARTED) == DeadlineState.DUE_SOON


def test_states_carry_chinese_labels_and_badge_classes() -> None:
    assert DeadlineState.OVERDUE.label == "已超期"
    assert DeadlineState.DUE_SOON.css == "warn"
