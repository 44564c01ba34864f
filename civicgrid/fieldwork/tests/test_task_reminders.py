"""The daily ``task_reminders`` command tells the workers of grids with items still to do one
working day before the deadline and again once it has passed; running it again, the same day
or later, sends nothing twice."""

from datetime import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from civicgrid.fieldwork.tests.task_helpers import make_task
from civicgrid.notifications.models import Notification

CN = ZoneInfo("Asia/Shanghai")


def _run() -> str:
    out = StringIO()
    call_command("task_reminders", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_reminders_are_sent_once(city: Any, users: Any) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    # Deadline Friday 2026-11-13 17:30; Thursday is one working day before.
    deadline = datetime(2026, 11, 13, 17, 30, tzinfo=CN)
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=CN), tick=False):
        make_task(
            users.secretary,
            [west, east],
            items={west.code: ["todo", "done"], east.code: ["done"]},
            deadline=deadline,
        )
        _run()
        assert not Notification.objects.exists()  # three working days ahead: not yet
    with time_machine.travel(datetime(2026, 11, 12, 8, 0, tzinfo=CN), tick=False):
        _run()
        _run()
    soon = Notification.objects.filter(recipient=users.worker)
    assert [n.title for n in soon] == ["任务即将到期:出租房核查"]
    with time_machine.travel(datetime(2026, 11, 14, 8, 0, tzinfo=CN), tick=False):
        _run()
    with time_machine.travel(datetime(2026, 11, 16, 8, 0, tzinfo=CN), tick=False):
        _run()
    titles = sorted(
        Notification.objects.filter(recipient=users.worker).values_list("title", flat=True)
    )
    assert titles == ["任务即将到期:出租房核查", "任务已超期:出租房核查"]
    # Only the worker of the unfinished grid is told: nobody works a1_east in the test city,
    # and the outsider of street b never hears of the task.
    assert not Notification.objects.exclude(recipient=users.worker).exists()
