"""Working-time arithmetic runs on every case creation and for every row of a case list."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from civicgrid.core.worktime import add_working_hours, deadline_state, working_hours_between

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
STARTS = [datetime(2026, 9, 1 + i % 28, 8 + i % 12, i % 60, tzinfo=SH) for i in range(200)]


def test_add_working_hours_for_200_cases(benchmark: Any) -> None:
    add_working_hours(STARTS[0], 1)  # load the override table once, as a warm process has

    def run() -> None:
        for start in STARTS:
            add_working_hours(start, 40)  # a five-working-day stage limit

    benchmark(run)


def test_deadline_state_for_a_page_of_50_cases(benchmark: Any) -> None:
    now = datetime(2026, 9, 15, 10, tzinfo=SH)
    rows = [(start, add_working_hours(start, 24)) for start in STARTS[:50]]

    def run() -> None:
        for started, due in rows:
            deadline_state(due, now, started=started)

    benchmark(run)


def test_working_hours_between_over_a_year(benchmark: Any) -> None:
    start, end = datetime(2026, 1, 1, tzinfo=SH), datetime(2026, 12, 31, tzinfo=SH)
    working_hours_between(start, start)
    benchmark(working_hours_between, start, end)
