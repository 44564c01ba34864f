from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.core.worktime import add_working_hours, working_hours_between

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

starts = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(SH)
)
hours = st.floats(min_value=0, max_value=200, allow_nan=False).map(lambda h: round(h, 3))


@settings(max_examples=150, deadline=None)
@given(start=starts, amount=hours)
def test_result_is_never_before_start(start: datetime, amount: float) -> None:
    assert add_working_hours(start, amount) >= start


@settings(max_examples=150, deadline=None)
@given(start=starts, amount=hours)
def test_hours_between_inverts_add_working_hours(start: datetime, amount: float) -> None:
    end = add_working_hours(start, amount)
    assert working_hours_between(start, end) == pytest.approx(amount, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(start=starts, first=hours, second=hours)
def test_adding_in_two_steps_equals_adding_once(
    start: datetime, first: float, second: float
) -> None:
    once = add_working_hours(start, first + second)
    twice = add_working_hours(add_working_hours(start, first), second)
    assert abs(once - twice) < timedelta(milliseconds=1)
