from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicgrid.core.worktime import parse_work_periods


def test_default_periods_parse() -> None:
    periods = parse_work_periods(("09:00-12:00", "13:30-17:30"))
    assert sum(p.seconds for p in periods) == 7 * 3600


@pytest.mark.parametrize(
    "raw",
    [("9-12",), ("09:00",), ("12:00-09:00",), ("09:00-12:00", "11:00-14:00"), ("25:00-26:00",), ()],
)
def test_bad_periods_fail_loudly(raw: tuple[str, ...]) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_work_periods(raw)


@pytest.mark.django_db
def test_custom_periods_are_used(settings: Any) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from civicgrid.core.worktime import add_working_hours

    settings.WORK_PERIODS = ["08:30-12:00", "14:00-18:00"]
    start = datetime(2026, 11, 23, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert add_working_hours(start, 2) == start.replace(hour=15)
