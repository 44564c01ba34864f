"""Every (status, action) pair, generated from the table: allowed ones lead where the table
says for an allowed role and fail for every other role; all others fail for anyone."""

from __future__ import annotations

from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel, Satisfaction
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import (
    BACK_TO_HANDLER,
    BY_LEVEL,
    RESUMED,
    ROUTE_TARGETS,
    TABLE,
    TransitionError,
    case_transition,
)
from civicgrid.testing.cases import put_in_status, report_case
from civicgrid.testing.users import RoleUsers

ACTIONS = [a for a in Action if a != Action.REPORT]
ALLOWED = sorted(TABLE)
USER_OF_ROLE = {
    Role.GRID_WORKER: "worker",
    Role.CADRE: "cadre",
    Role.SECRETARY: "secretary",
    Role.COMMAND: "command",
    Role.DEPARTMENT: "department",
    Role.RESIDENT: "resident",
}


def staged_case(users: RoleUsers, status: str) -> Case:
    """A resident's case in ``status``, with the fields each action needs set up."""
    case = report_case(users.worker, reporter=users.resident)
    return put_in_status(
        case,
        status,
        department=users.dept,
        handled_in=CaseStatus.COMMUNITY,
        held_from=CaseStatus.COMMUNITY,
        satisfaction=Satisfaction.UNSATISFIED if status == CaseStatus.CLOSED else "",
        extension_amount=2 if status == CaseStatus.EXTENSION_PENDING else None,
        extension_unit="days" if status == CaseStatus.EXTENSION_PENDING else "",
    )


def action_data(users: RoleUsers, case: Case, action: str, actor: User) -> dict[str, Any]:
    data: dict[str, Any] = {"note": "测试理由"}
    if action == Action.ROUTE:
        data["level"] = HandlingLevel.COMMUNITY
    elif action == Action.DISPATCH:
        data["department"] = users.dept
    elif action == Action.REQUEST_EXTENSION:
        data.update(amount=2, unit="days")
    elif action == Action.EVALUATE:
        Case.objects.filter(pk=case.pk).update(satisfaction="")
        case.satisfaction = ""
        data["satisfaction"] = Satisfaction.BASIC
    elif action == Action.REASSIGN:
        data["assignee"] = (
            users.department
            if case.status in (CaseStatus.DISPATCHED, CaseStatus.HANDLING)
            else users.cadre
        )
    elif action == Action.MERGE:
        data["into"] = report_case(users.worker)
    return data


def expected_target(case: Case, action: str, data: dict[str, Any]) -> str:
    target = TABLE[(case.status, action)].target
    if target == BY_LEVEL:
        return ROUTE_TARGETS[data["level"]]
    if target == BACK_TO_HANDLER:
        return case.handled_in
    if target == RESUMED:
        return case.held_from
    return target or case.status


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_move_leads_where_the_table_says(
    users: RoleUsers, status: str, action: str
) -> None:
    case = staged_case(users, status)
    move = TABLE[(status, action)]
    actor = getattr(users, USER_OF_ROLE[next(r for r in USER_OF_ROLE if r in move.roles)])
    data = action_data(users, case, action, actor)
    expected = expected_target(case, action, data)
    version = case.version

    after = case_transition(case=case, action=action, actor=actor, **data)

    assert after.status == expected
    assert after.version == version + 1
    event = CaseEvent.objects.filter(case=case).exclude(action=Action.REPORT).get()
    assert (event.from_status, event.to_status, event.action) == (status, expected, action)


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_move_is_refused_to_other_roles(users: RoleUsers, status: str, action: str) -> None:
    case = staged_case(users, status)
    move = TABLE[(status, action)]
    for role, name in USER_OF_ROLE.items():
        if role in move.roles:
            continue
        actor = getattr(users, name)
        data = action_data(users, case, action, actor)
        with pytest.raises(TransitionError):
            case_transition(case=case, action=action, actor=actor, **data)
    assert not CaseEvent.objects.filter(case=case).exclude(action=Action.REPORT).exists()


@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_move_missing_from_the_table_is_refused(users: RoleUsers, status: str) -> None:
    boss = User.objects.create_superuser("boss", password="pw-boss", role=Role.SYSADMIN)
    forbidden = [a for a in ACTIONS if (status, a) not in TABLE]
    assert forbidden
    for action in forbidden:
        case = staged_case(users, status)
        data = action_data(users, case, action, boss)
        with pytest.raises(TransitionError, match="不能执行"):
            case_transition(case=case, action=action, actor=boss, **data)
        case.refresh_from_db()
        assert case.status == status
    assert not CaseEvent.objects.exclude(action=Action.REPORT).exists()
