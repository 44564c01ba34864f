"""Hand-built case histories: cases and their events written directly, so that each test
states exactly which events exist (who, when, on time or not) and works out the figure."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from civicgrid.cases.choices import Action, CaseStatus, Channel, Stage
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.testing.cases import case_category

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 10, 12)
_serial = itertools.count(1)


def at(day: date = DAY, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def new_case(
    grid_code: str, *, when: datetime | None = None, category: Category | None = None, **fields: Any
) -> Case:
    when = when or at()
    n = next(_serial)
    return Case.objects.create(
        number=f"T{n:08d}",
        channel=fields.pop("channel", Channel.GRID_WORKER),
        category=category or case_category(),
        description="测试事件",
        grid_code=grid_code,
        stage_started_at=when,
        reported_at=when,
        updated_at=when,
        **fields,
    )


def event(
    case: Case,
    action: str,
    when: datetime,
    *,
    actor: Any = None,
    to_status: str = "",
    stage: str = "",
    deadline: datetime | None = None,
    on_time: bool | None = None,
    next_deadline: datetime | None = None,
    to_department: Any = None,
    from_status: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=when,
        action=action,
        from_status=from_status,
        to_status=to_status or case.status,
        actor=actor,
        actor_role=getattr(actor, "role", "") or "",
        actor_department_id=getattr(actor, "department_id", None),
        to_department=to_department,
        stage=stage,
        deadline=deadline,
        on_time=on_time,
        next_deadline=next_deadline,
        data=data or {},
    )


def crew(users: Any) -> dict[str, Any]:
    """Who takes part in a ``handled_case`` in the test city: the grid worker reports, the
    secretary accepts, the command centre dispatches to the department, a cadre checks."""
    return dict(
        reporter=users.worker,
        desk=users.secretary,
        command=users.command,
        handler=users.department,
        checker=users.cadre,
        dept=users.dept,
    )


def handled_case(
    grid_code: str,
    *,
    reporter: Any,
    desk: Any,
    command: Any,
    handler: Any,
    checker: Any,
    dept: Any,
    day: date = DAY,
    fed_back_on_time: bool = True,
    due: datetime | None = None,
) -> Case:
    """A grid-worker report accepted, dispatched to ``dept``, fed back and verified, all on
    ``day`` (on time everywhere unless said), handling deadline ``due`` (default day 18:00)."""
    due = due or at(day, 18)
    case = new_case(grid_code, when=at(day, 8))
    S = CaseStatus
    event(
        case,
        Action.REPORT,
        at(day, 8),
        actor=reporter,
        to_status=S.REPORTED,
        next_deadline=at(day, 9),
    )
    event(
        case,
        Action.ACCEPT,
        at(day, 8, 30),
        actor=desk,
        from_status=S.REPORTED,
        to_status=S.ACCEPTED,
        stage=Stage.ACCEPT,
        deadline=at(day, 9),
        on_time=True,
        next_deadline=at(day, 11),
    )
    event(
        case,
        Action.ROUTE,
        at(day, 8, 40),
        actor=desk,
        from_status=S.ACCEPTED,
        to_status=S.TO_DISPATCH,
        next_deadline=at(day, 11),
    )
    event(
        case,
        Action.DISPATCH,
        at(day, 9),
        actor=command,
        from_status=S.TO_DISPATCH,
        to_status=S.DISPATCHED,
        stage=Stage.DISPATCH,
        deadline=at(day, 11),
        on_time=True,
        next_deadline=due,
        to_department=dept,
    )
    event(
        case,
        Action.SIGN_FOR,
        at(day, 9, 10),
        actor=handler,
        from_status=S.DISPATCHED,
        to_status=S.HANDLING,
        next_deadline=due,
    )
    fb = at(day, 12) if fed_back_on_time else due + timedelta(hours=1)
    event(
        case,
        Action.FEEDBACK,
        fb,
        actor=handler,
        from_status=S.HANDLING,
        to_status=S.TO_VERIFY,
        stage=Stage.HANDLE,
        deadline=due,
        on_time=fed_back_on_time,
        next_deadline=fb + timedelta(hours=2),
    )
    event(
        case,
        Action.VERIFY,
        fb + timedelta(hours=1),
        actor=checker,
        from_status=S.TO_VERIFY,
        to_status=S.CLOSED,
        stage=Stage.VERIFY,
        deadline=fb + timedelta(hours=2),
        on_time=True,
    )
    Case.objects.filter(pk=case.pk).update(status=S.CLOSED, stage=Stage.DONE, department=dept)
    case.refresh_from_db()
    return case
