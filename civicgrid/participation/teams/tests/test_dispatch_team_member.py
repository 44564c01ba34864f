"""At dispatch the command centre may name the handler among the department's members of the
case grid's team; a member of another department is refused, and nothing is dispatched."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.forms import DispatchForm
from civicgrid.participation.teams.choices import TeamRole
from civicgrid.participation.teams.testing import add_department_member
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(users: Any) -> Any:
    case = report_case(users.resident, channel=Channel.RESIDENT, description="占道经营")
    return walk(case, users, until=Action.ROUTE)


def _post(user: Any, case: Any, data: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    payload = {f"dispatch-{k}": v for k, v in data.items()}
    return client.post(f"/cases/{case.pk}/act/dispatch/", payload)


def test_dispatch_names_the_team_member_as_assignee(
    team: dict[str, Any], users: Any, waiting: Any
) -> None:
    form = DispatchForm(case=waiting, actor=users.command, prefix="dispatch")
    offered: Any = form.fields["assignee"]
    assert [u.pk for u in offered.queryset] == [users.department.pk]
    response = _post(
        users.command, waiting, {"department": users.dept.pk, "assignee": users.department.pk}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.DISPATCHED
    assert waiting.department_id == users.dept.pk
    assert waiting.assignee_id == users.department.pk


def test_only_a_member_of_the_chosen_department(
    team: dict[str, Any], users: Any, waiting: Any, city: Any
) -> None:
    other = Department.objects.create(
        code="scjg", name="市场监管局", region_code=city.district.code
    )
    inspector = make_user("inspector", Role.DEPARTMENT, department=other)
    add_department_member(team["grid"], inspector, by=users.secretary, role=TeamRole.MARKET)
    response = _post(
        users.command, waiting, {"department": users.dept.pk, "assignee": inspector.pk}
    )
    assert response.status_code == 400
    assert "所选人员不属于承办部门" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.TO_DISPATCH
    assert waiting.assignee_id is None


def test_someone_outside_the_team_is_not_offered(users: Any, waiting: Any, city: Any) -> None:
    # No team: the form has no assignee field, and a forged one is ignored by dispatch.
    form = DispatchForm(case=waiting, actor=users.command, prefix="dispatch")
    assert "assignee" not in form.fields
    response = _post(
        users.command, waiting, {"department": users.dept.pk, "assignee": users.department.pk}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.DISPATCHED and waiting.assignee_id is None
