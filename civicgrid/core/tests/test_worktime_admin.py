from datetime import date
from typing import Any

import pytest

from civicgrid.core.models import WorkCalendarDay
from civicgrid.core.worktime import is_workday
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
URL = "/admin/core/workcalendarday/"


@pytest.fixture
def sysadmin(users: RoleUsers) -> Any:
    users.sysadmin.is_staff = True
    users.sysadmin.is_superuser = True
    users.sysadmin.save()
    return users.sysadmin


def test_admin_lists_rows_filtered_by_year(client: Any, sysadmin: Any) -> None:
    WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    WorkCalendarDay.objects.create(date=date(2026, 12, 1), is_workday=False, note="地方节日")
    client.force_login(sysadmin)
    body = client.get(URL, {"year": "2027"}).content.decode()
    assert "元旦" in body
    assert "地方节日" not in body


def test_admin_entry_records_who_and_takes_effect(client: Any, sysadmin: Any) -> None:
    client.force_login(sysadmin)
    response = client.post(URL + "add/", {"date": "2027-02-08", "is_workday": "", "note": "春节"})
    assert response.status_code == 302
    assert WorkCalendarDay.objects.get(date=date(2027, 2, 8)).entered_by == sysadmin
    assert not is_workday(date(2027, 2, 8))


def test_rows_cannot_be_deleted_from_admin(client: Any, sysadmin: Any) -> None:
    row = WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False)
    client.force_login(sysadmin)
    assert client.get(f"{URL}{row.pk}/delete/").status_code == 403
