"""Hand-made records for the work-log tests (no tests here): one of each kind of work by the
``worker`` on ``DAY``, written directly so the tests do not depend on the services' rules."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Patrol, Visit
from civicgrid.registry.models import Person
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.cases import report_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 18)  # a Wednesday
PERSON_NAME = "欧阳春花"
PERSON_ID = "520102198005170017"


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def patrol(
    worker: Any, grid: Any, start: datetime, minutes: int = 45, metres: float = 1500
) -> Patrol:
    return Patrol.objects.create(
        worker=worker,
        grid=grid,
        grid_code=grid.code,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        duration_s=minutes * 60,
        distance_m=metres,
        point_count=20,
    )


def visit(worker: Any, grid: Any, when: datetime, person: Person | None = None) -> Visit:
    return Visit.objects.create(
        worker=worker,
        grid=grid,
        grid_code=grid.code,
        person=person,
        visited_at=when,
        purpose=VisitPurpose.CARE,
        findings="身体尚好",
    )


def reported(worker: Any, when: datetime) -> Case:
    return report_case(worker, at=when)


def verified(worker: Any, case: Case, when: datetime, action: str = Action.VERIFY) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=when,
        action=action,
        from_status=CaseStatus.TO_VERIFY,
        to_status=CaseStatus.CLOSED,
        actor=worker,
        actor_role=worker.role,
    )


def edited_person(
    worker: Any, grid: Any, when: datetime, name: str = PERSON_NAME, id_number: str = PERSON_ID
) -> Person:
    """A person created by ``worker`` at ``when`` (the history row is the record of the work)."""
    person = make_person(grid, name=name, id_number=id_number)
    Person.history.filter(id=person.pk).update(history_user=worker, history_date=when)
    return person


def one_of_each(users: Any, city: Any) -> dict[str, Any]:
    """The worker's day: patrol 08:00, visit 09:30, case reported 10:00, case verified 11:00,
    person created 14:00 (newest last)."""
    grid = city.grids["a1_west"]
    worker = users.worker
    person = edited_person(worker, grid, at(14))
    case = reported(worker, at(10))
    return {
        "patrol": patrol(worker, grid, at(8)),
        "visit": visit(worker, grid, at(9, 30), person),
        "case": case,
        "verify": verified(worker, case, at(11)),
        "person": person,
    }
