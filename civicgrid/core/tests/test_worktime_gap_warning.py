"""The coming year's holidays must be entered by hand; the command centre is told so."""

from datetime import date
from typing import Any

import pytest

from civicgrid.core.checks import work_calendar_check
from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import calendar_gap_warning
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_no_warning_before_november() -> None:
    assert calendar_gap_warning(date(2026, 10, 31)) is None


def test_from_november_missing_next_year_is_warned() -> None:
    warning = calendar_gap_warning(date(2026, 11, 1))
    assert warning is not None
    assert "2027" in warning


def test_entering_next_year_silences_the_warning() -> None:
    WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    assert calendar_gap_warning(date(2026, 11, 23)) is None


def test_a_missing_current_year_is_warned_all_year() -> None:
    assert "2027" in (calendar_gap_warning(date(2027, 3, 1)) or "")


def test_system_check_w001(time_machine: Any) -> None:
    time_machine.move_to("2026-11-23 10:00 +0800")
    messages = work_calendar_check()
    assert [m.id for m in messages] == ["core.W001"]


def test_system_check_is_quiet_when_covered(time_machine: Any) -> None:
    time_machine.move_to("2026-06-01 10:00 +0800")
    assert work_calendar_check() == []


@pytest.mark.parametrize("role", ["command", "sysadmin"])
def test_workbench_warns_command_centre_and_sysadmin(
    client: Any, users: RoleUsers, time_machine: Any, role: str
) -> None:
    time_machine.move_to("2026-11-23 10:00 +0800")
    client.force_login(getattr(users, role))
    assert "尚未录入工作日历" in client.get("/").content.decode()


def test_only_the_sysadmin_gets_the_admin_link(
    client: Any, users: RoleUsers, time_machine: Any
) -> None:
    time_machine.move_to("2026-11-23 10:00 +0800")
    client.force_login(users.command)
    assert "/admin/core/workcalendarday/" not in client.get("/").content.decode()
    client.force_login(users.sysadmin)
    assert "/admin/core/workcalendarday/" in client.get("/").content.decode()


def test_grid_workers_are_not_bothered(client: Any, users: RoleUsers, time_machine: Any) -> None:
    time_machine.move_to("2026-11-23 10:00 +0800")
    client.force_login(users.worker)
    assert "尚未录入工作日历" not in client.get("/").content.decode()
