"""Two actors (or two escalation workers) on one case at the same moment, on PostgreSQL
with real separate connections: exactly one wins, the other gets a clear error."""

import pytest
from django.db import connection

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import case_escalate_overdue
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.notifications.models import Notification
from civicgrid.testing.cases import report_case
from civicgrid.testing.race import run_together
from civicgrid.testing.users import RoleUsers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_actors_accepting_at_once_one_wins(users: RoleUsers) -> None:
    case = report_case(users.worker)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    results = run_together(
        lambda: case_transition(case=first, action=Action.ACCEPT, actor=users.secretary),
        lambda: case_transition(case=second, action=Action.VOID, actor=users.cadre, note="重复"),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], TransitionError)
    assert "刚刚被他人处理" in str(errors[0])
    assert CaseEvent.objects.filter(case=case).exclude(action=Action.REPORT).count() == 1


def test_escalation_in_two_workers_notifies_once(users: RoleUsers) -> None:
    from datetime import datetime

    from civicgrid.testing.cases import SHANGHAI

    case = report_case(users.worker)
    noon = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)

    results = run_together(
        lambda: case_escalate_overdue(at=noon), lambda: case_escalate_overdue(at=noon)
    )

    assert sorted(results) == [0, 1]
    assert CaseEvent.objects.filter(case=case, action=Action.SUPERVISE).count() == 1
    assert Notification.objects.filter(recipient=users.command, kind="case_overdue").count() == 1


def test_two_intakes_at_once_get_different_numbers(users: RoleUsers) -> None:
    report_case(users.worker)  # the day's counter row exists, as it does after the first case

    results = run_together(lambda: report_case(users.worker), lambda: report_case(users.secretary))

    numbers = sorted(r.number for r in results)
    assert [n[-4:] for n in numbers] == ["0002", "0003"]
