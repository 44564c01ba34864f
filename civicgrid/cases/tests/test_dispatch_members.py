"""Who may be named as the handler at dispatch is decided once
(``selectors.dispatch_members``): the dispatch form offers exactly those people and the API
accepts no one else. People offered by the hook whose department may not receive the case (a
department of another district, a retired one) are left out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.cases import hooks
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.forms import DispatchForm
from civicgrid.cases.selectors import dispatch_members
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(users: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    far = Department.objects.create(code="far", name="外区城管局", region_code="520103")
    retired = Department.objects.create(
        code="old", name="已撤销部门", region_code="520102", retired_on=date(2020, 1, 1)
    )
    people = {
        "local": users.department,
        "far": make_user("far", Role.DEPARTMENT, department=far),
        "retired": make_user("retired", Role.DEPARTMENT, department=retired),
    }
    monkeypatch.setitem(hooks._candidates, "test", lambda case: list(people.values()))
    return people


@pytest.fixture
def waiting(users: Any) -> Any:
    case = report_case(users.resident, channel=Channel.RESIDENT, description="占道经营")
    return walk(case, users, until=Action.ROUTE)


def test_only_people_of_departments_that_may_receive_the_case(
    offered: dict[str, Any], users: Any, waiting: Any
) -> None:
    assert [u.pk for u in dispatch_members(waiting)] == [offered["local"].pk]
    form = DispatchForm(case=waiting, actor=users.command, prefix="dispatch")
    field: Any = form.fields["assignee"]
    assert [u.pk for u in field.queryset] == [offered["local"].pk]


@pytest.mark.parametrize("who", ["far", "retired"])
def test_the_api_refuses_whom_the_form_does_not_offer(
    offered: dict[str, Any], users: Any, waiting: Any, who: str
) -> None:
    client = Client()
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/cases/{waiting.pk}/dispatch",
        json.dumps({"department": users.dept.pk, "assignee": offered[who].pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "所选人员不是该网格团队的部门成员" in response.json()["detail"]
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.TO_DISPATCH
