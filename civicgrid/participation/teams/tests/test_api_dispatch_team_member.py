"""The dispatch API names a member of the case grid's team as assignee, as the page does:
dispatch and reassignment in one transaction, and the same refusals (someone outside the team,
or of another department than the one chosen) with nothing dispatched."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import CaseEvent
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


def _dispatch(user: Any, case: Any, body: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(
        f"/api/v1/cases/{case.pk}/dispatch", json.dumps(body), content_type="application/json"
    )


def test_api_dispatch_names_the_team_member(team: dict[str, Any], users: Any, waiting: Any) -> None:
    response = _dispatch(
        users.command, waiting, {"department": users.dept.pk, "assignee": users.department.pk}
    )
    assert response.status_code == 200, response.content
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.DISPATCHED
    assert (waiting.department_id, waiting.assignee_id) == (users.dept.pk, users.department.pk)
    actions = list(CaseEvent.objects.filter(case=waiting).values_list("action", flat=True))
    assert actions[-2:] == [Action.DISPATCH, Action.REASSIGN]


def test_api_refuses_a_member_of_another_department(
    team: dict[str, Any], users: Any, waiting: Any, city: Any
) -> None:
    other = Department.objects.create(
        code="scjg", name="市场监管局", region_code=city.district.code
    )
    inspector = make_user("inspector", Role.DEPARTMENT, department=other)
    add_department_member(team["grid"], inspector, by=users.secretary, role=TeamRole.MARKET)
    before = CaseEvent.objects.filter(case=waiting).count()
    response = _dispatch(
        users.command, waiting, {"department": users.dept.pk, "assignee": inspector.pk}
    )
    assert response.status_code == 422
    assert "所选人员不属于承办部门" in response.json()["detail"]
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.TO_DISPATCH and waiting.assignee_id is None
    assert CaseEvent.objects.filter(case=waiting).count() == before


def test_api_refuses_someone_outside_the_team(users: Any, waiting: Any) -> None:
    # No team for the grid: the department account is not a member, so it cannot be named.
    response = _dispatch(
        users.command, waiting, {"department": users.dept.pk, "assignee": users.department.pk}
    )
    assert response.status_code == 422
    assert "不是该网格团队的部门成员" in response.json()["detail"]
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.TO_DISPATCH


def test_api_dispatch_without_assignee_still_works(users: Any, waiting: Any) -> None:
    response = _dispatch(users.command, waiting, {"department": users.dept.pk})
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == CaseStatus.DISPATCHED and waiting.assignee_id is None
