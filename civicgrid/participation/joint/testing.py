"""Joint-meeting objects for tests, the demo and the permission matrix's world: cases that
departments pass back (through the real workflow) and a meeting about them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.cases.choices import Action, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.participation.joint import services
from civicgrid.participation.joint.models import JointMeeting


def department_with_handler(code: str, name: str, region_code: str) -> tuple[Department, User]:
    dept, _ = Department.objects.get_or_create(
        code=code, defaults={"name": name, "region_code": region_code}
    )
    handler = User.objects.filter(role=Role.DEPARTMENT, department=dept).first()
    if handler is None:
        handler = User.objects.create_user(
            username=f"{code}-handler", password=f"pw-{code}", role=Role.DEPARTMENT,
            full_name=f"{name}经办人", department=dept,
        )  # fmt: skip
    return dept, handler


def to_street(case: Case, *, secretary: Any) -> Case:
    """Accept and route a reported case up to the street (待派遣)."""
    case = case_transition(case=case, action=Action.ACCEPT, actor=secretary)
    return case_transition(
        case=case, action=Action.ROUTE, actor=secretary, level=HandlingLevel.STREET
    )


def bounce(
    case: Case,
    *,
    command: Any,
    passes: list[tuple[Department, User]],
    reason: str = "不属于本部门职责",
    at: Any = None,
) -> Case:
    """Dispatch ``case`` (waiting for dispatch) to each department in turn and have it returned
    with ``reason``: the history a joint meeting is called for."""
    for dept, handler in passes:
        case = case_transition(
            case=case, action=Action.DISPATCH, actor=command, department=dept, at=at
        )
        case = case_transition(case=case, action=Action.RETURN, actor=handler, note=reason, at=at)
        if at is not None:
            at = at + timedelta(hours=1)
    return case


def convened_meeting(
    *, command: Any, departments: list[Department], cases: list[Case], title: str = "联席会议"
) -> JointMeeting:
    meeting = services.meeting_create(
        actor=command,
        title=title,
        starts_at=timezone.now() + timedelta(days=1),
        place="街道网格管理中心会议室",
        department_ids=[d.pk for d in departments],
        cases=cases,
    )
    return services.meeting_convene(meeting=meeting, actor=command)


def world_meeting(world: Any) -> JointMeeting:
    """The matrix's meeting: convened by the street command about the world's case (dispatched
    to the world's department, which is invited); created once per world."""
    found = world.objects.get("joint_meeting")
    if found is None:
        found = world.objects["joint_meeting"] = convened_meeting(
            command=world.users.command,
            departments=[world.users.dept],
            cases=[world.objects["case"]],
            title="矩阵标记联席会议",
        )
    return found


def world_agenda_item(world: Any) -> Any:
    return world_meeting(world).items.get()
