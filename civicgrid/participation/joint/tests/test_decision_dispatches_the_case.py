"""Applying a decision moves its case through case_transition: dispatched to the lead
department with the new deadline in working days, exactly one CaseEvent for the move."""

from typing import Any

import pytest
from django.utils import timezone

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import CaseEvent
from civicgrid.core.worktime import add_working_time
from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import bounce, convened_meeting


@pytest.mark.django_db
def test_apply_dispatches_to_lead_with_new_deadline(
    users: Any, waiting_case: Any, zjj: Any
) -> None:
    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)] * 2)
    meeting = convened_meeting(
        command=users.command, departments=[users.dept, zjj[0]], cases=[case]
    )
    item = meeting.items.get()
    services.decision_record(
        item=item,
        actor=users.command,
        lead_department_id=zjj[0].pk,
        assist_department_ids=[users.dept.pk],
        due_days=5,
        note="住建局牵头,城管局配合清运",
    )
    before = CaseEvent.objects.filter(case=case).count()
    started = timezone.now()
    item, changed = services.decision_apply(item=item, actor=users.command)
    assert changed
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED
    assert case.department == zjj[0]
    events = CaseEvent.objects.filter(case=case).order_by("pk")
    assert events.count() == before + 1
    event = events.last()
    assert event is not None
    assert event.action == Action.DISPATCH and event.to_department == zjj[0]
    assert "住建局牵头" in event.note
    assert item.applied_event == event
    # Five working days from the moment of applying (give or take the test's own run time).
    low, high = add_working_time(started, 5, "days"), add_working_time(timezone.now(), 5, "days")
    assert case.stage_due_at is not None
    assert low <= case.stage_due_at <= high
    assert list(item.assist_departments.all()) == [users.dept]


@pytest.mark.django_db
def test_lead_already_handling_gets_the_new_deadline_as_supervision(
    users: Any, waiting_case: Any
) -> None:
    from civicgrid.cases.workflow import case_transition

    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)] * 2)
    case = case_transition(
        case=case, action=Action.DISPATCH, actor=users.command, department=users.dept
    )
    meeting = convened_meeting(command=users.command, departments=[users.dept], cases=[case])
    item = meeting.items.get()
    services.decision_record(
        item=item, actor=users.command, lead_department_id=users.dept.pk, due_days=3
    )
    before = CaseEvent.objects.filter(case=case).count()
    services.decision_apply(item=item, actor=users.command)
    case.refresh_from_db()
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    last = CaseEvent.objects.filter(case=case).last()
    assert last is not None and last.action == Action.SUPERVISE
    assert case.status == CaseStatus.DISPATCHED and case.department == users.dept
