"""A deadline of N working days skips weekends and the national holidays (and counts make-up
working Saturdays), ending at the close of the N-th working day."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicgrid.fieldwork.tasks import task_issue

CN = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_five_working_days_skip_the_weekend(city: Any, users: Any) -> None:
    # Wednesday 2026-11-18: Thu, Fri, Mon, Tue, Wed → Wednesday 2026-11-25 at 17:30.
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=CN), tick=False):
        task, _ = task_issue(
            actor=users.secretary, title="消防通道清理", region_code=city.comm_a1.code,
            deadline_days=5,
        )  # fmt: skip
    assert task.deadline.astimezone(CN) == datetime(2026, 11, 25, 17, 30, tzinfo=CN)


@pytest.mark.django_db
def test_national_day_holidays_are_skipped(city: Any, users: Any) -> None:
    # 2026-09-30 (Wed): 10-01..10-07 are the National Day holiday; 10-10 (Sat) is a make-up
    # working day. Two working days later is Thursday 10-08 → Friday 10-09.
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=CN), tick=False):
        task, _ = task_issue(
            actor=users.secretary, title="节后复查", region_code=city.comm_a1.code,
            deadline_days=2,
        )  # fmt: skip
    assert task.deadline.astimezone(CN) == datetime(2026, 10, 9, 17, 30, tzinfo=CN)
