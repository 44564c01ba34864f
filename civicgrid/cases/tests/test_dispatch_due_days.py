"""Dispatch may carry the deadline a joint meeting decided (``due_days``, whole working days
1..60) instead of the responsibility list's handling limit; anything else is refused."""

from typing import Any

import pytest

from civicgrid.cases.choices import Action
from civicgrid.cases.models import CaseEvent
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.core.worktime import add_working_time
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import MONDAY_10


@pytest.mark.django_db
def test_dispatch_with_due_days_sets_that_deadline(case: Any, users: Any) -> None:
    case = walk(case, users, until=Action.ROUTE)
    case = case_transition(
        case=case,
        action=Action.DISPATCH,
        actor=users.command,
        department=users.dept,
        due_days=7,
        at=MONDAY_10,
    )
    expected = add_working_time(MONDAY_10, 7, "days")
    assert case.stage_due_at == expected
    event = CaseEvent.objects.filter(case=case, action=Action.DISPATCH).get()
    assert event.next_deadline == expected
    assert event.data["amount"] == "7"


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 61, 400, "1.5", "abc"])
def test_dispatch_refuses_a_deadline_outside_1_to_60_working_days(
    case: Any, users: Any, days: Any
) -> None:
    case = walk(case, users, until=Action.ROUTE)
    with pytest.raises(TransitionError, match="工作日"):
        case_transition(
            case=case, action=Action.DISPATCH, actor=users.command, department=users.dept,
            due_days=days,
        )  # fmt: skip
    assert not CaseEvent.objects.filter(case=case, action=Action.DISPATCH).exists()
