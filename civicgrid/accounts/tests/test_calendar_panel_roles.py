"""The workbench calendar warning takes its roles from accounts' registration (core knows no
roles): the system administrator and command centre see it, only the former gets the link."""

from typing import Any

import pytest
from django.test import RequestFactory

from civicgrid.core import widgets
from civicgrid.testing.users import RoleUsers


@pytest.fixture
def calendar_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(widgets, "calendar_gap_warning", lambda: "明年放假安排尚未录入")


def panel(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return widgets.calendar_warning(request)


@pytest.mark.django_db
def test_registered_roles_decide_who_sees_the_warning(users: RoleUsers, calendar_gap: None) -> None:
    assert panel(users.sysadmin)["data"]["admin_url"]
    command = panel(users.command)
    assert command is not None and command["data"]["admin_url"] == ""
    for role in ("worker", "auditor", "resident", "department"):
        assert panel(getattr(users, role)) is None
