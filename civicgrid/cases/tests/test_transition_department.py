"""The street route: up to the street → dispatch → sign for → feedback → verify, with a
failed verification sending it back to the department and counting as rework."""

from datetime import timedelta
from typing import Any

import pytest

from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel, Stage
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.notifications.models import Notification
from civicgrid.testing.cases import MONDAY_10
from civicgrid.testing.users import RoleUsers


def step(case: Case, action: str, actor: object, minutes: int, **data: Any) -> Case:
    return case_transition(
        case=case, action=action, actor=actor, at=MONDAY_10 + timedelta(minutes=minutes), **data
    )


@pytest.fixture
def dispatched(users: RoleUsers, case: Case) -> Case:
    step(case, Action.ACCEPT, users.secretary, 10)
    step(case, Action.ROUTE, users.secretary, 20, level=HandlingLevel.STREET)
    return step(case, Action.DISPATCH, users.command, 30, department=users.dept)


def test_dispatch_starts_the_handle_clock(users: RoleUsers, dispatched: Case) -> None:
    assert dispatched.status == CaseStatus.DISPATCHED
    assert dispatched.stage == Stage.HANDLE
    assert dispatched.stage_started_at == MONDAY_10 + timedelta(minutes=30)
    event = dispatched.events.get(action=Action.DISPATCH)
    assert event.to_department == users.dept
    assert event.on_time is True


def test_department_signs_for_handles_and_the_worker_verifies(
    users: RoleUsers, dispatched: Case
) -> None:
    step(dispatched, Action.SIGN_FOR, users.department, 40)
    assert dispatched.assignee == users.department
    step(dispatched, Action.FEEDBACK, users.department, 120, note="已清运")
    step(dispatched, Action.VERIFY, users.worker, 150)
    assert dispatched.status == CaseStatus.CLOSED


def test_failed_verification_is_rework_back_to_the_department(
    users: RoleUsers, dispatched: Case
) -> None:
    step(dispatched, Action.SIGN_FOR, users.department, 40)
    step(dispatched, Action.FEEDBACK, users.department, 120, note="已清运")
    step(dispatched, Action.REWORK, users.worker, 150, note="现场仍有垃圾")
    assert dispatched.status == CaseStatus.HANDLING
    assert dispatched.rework_count == 1
    assert dispatched.events.get(action=Action.REWORK).data == {"rework": 1}


def test_another_department_cannot_sign_for(users: RoleUsers, dispatched: Case) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.accounts.models import Department
    from civicgrid.testing.users import make_user

    other = Department.objects.create(code="slj", name="水利局", region_code="520102")
    stranger = make_user("water", Role.DEPARTMENT, department=other)
    with pytest.raises(TransitionError, match="不负责"):
        step(dispatched, Action.SIGN_FOR, stranger, 40)


def test_department_returns_a_wrong_dispatch(users: RoleUsers, dispatched: Case) -> None:
    step(dispatched, Action.RETURN, users.department, 40, note="属于水务部门")
    assert dispatched.status == CaseStatus.TO_DISPATCH
    assert dispatched.stage == Stage.DISPATCH
    assert CaseEvent.objects.get(case=dispatched, action=Action.RETURN).note == "属于水务部门"


def test_dispatch_without_a_department_is_refused(users: RoleUsers, case: Case) -> None:
    step(case, Action.ACCEPT, users.secretary, 10)
    step(case, Action.ROUTE, users.secretary, 20, level=HandlingLevel.STREET)
    case.department = None
    with pytest.raises(TransitionError, match="承办部门"):
        step(case, Action.DISPATCH, users.command, 30)


def test_department_handlers_are_told_of_a_dispatch(
    users: RoleUsers, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    step(case, Action.ACCEPT, users.secretary, 10)
    step(case, Action.ROUTE, users.secretary, 20, level=HandlingLevel.STREET)
    with django_capture_on_commit_callbacks(execute=True):
        step(case, Action.DISPATCH, users.command, 30, department=users.dept)
    assert Notification.objects.filter(recipient=users.department, title__contains=case.number)


def test_events_carry_what_assessment_needs(users: RoleUsers, dispatched: Case) -> None:
    step(dispatched, Action.SIGN_FOR, users.department, 40)
    step(dispatched, Action.FEEDBACK, users.department, 120, note="已清运")
    event = dispatched.events.get(action=Action.FEEDBACK)
    assert (event.actor, event.actor_role, event.actor_department) == (
        users.department, "department", users.dept,
    )  # fmt: skip
    assert event.stage == Stage.HANDLE
    assert event.deadline is not None
    assert event.on_time is True
