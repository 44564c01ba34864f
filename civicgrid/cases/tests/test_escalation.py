from datetime import datetime
from io import StringIO
from typing import Any

import time_machine
from django.core.management import call_command

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import ESCALATION_NOTE, case_escalate_overdue
from civicgrid.cases.workflow import case_transition
from civicgrid.notifications.models import Notification
from civicgrid.testing.cases import SHANGHAI
from civicgrid.testing.users import RoleUsers

# The test case must be accepted by 11:00; at noon it is overdue.
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=SHANGHAI)


def escalate(capture: Any, at: datetime = NOON) -> int:
    with capture(execute=True):
        return case_escalate_overdue(at=at)


def test_overdue_case_is_flagged_supervised_with_one_event(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    assert escalate(django_capture_on_commit_callbacks) == 1
    case.refresh_from_db()
    assert case.supervised
    assert case.supervise_reason == ESCALATION_NOTE
    event = CaseEvent.objects.get(case=case, action=Action.SUPERVISE)
    assert event.actor is None
    assert event.deadline == case.stage_due_at
    assert event.data == {"escalation": True}


def test_case_not_yet_due_is_left_alone(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    early = datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)
    assert escalate(django_capture_on_commit_callbacks, early) == 0
    case.refresh_from_db()
    assert not case.supervised


def test_running_twice_escalates_and_notifies_once(
    case: Case, users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    escalate(django_capture_on_commit_callbacks)
    assert escalate(django_capture_on_commit_callbacks) == 0
    assert CaseEvent.objects.filter(case=case, action=Action.SUPERVISE).count() == 1
    assert Notification.objects.filter(recipient=users.command, kind="case_overdue").count() == 1


def test_community_stage_escalates_to_the_street_command_centre(
    case: Case, users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    escalate(django_capture_on_commit_callbacks)
    told = set(Notification.objects.filter(kind="case_overdue").values_list("recipient", flat=True))
    assert told == {users.command.pk}


def test_a_new_overdue_stage_is_escalated_again(
    case: Case, users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    escalate(django_capture_on_commit_callbacks)
    case.refresh_from_db()
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary, at=NOON)
    later = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)
    assert escalate(django_capture_on_commit_callbacks, later) == 1
    assert Notification.objects.filter(recipient=users.command, kind="case_overdue").count() == 2


def test_closed_case_is_never_escalated(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, stage="done")
    assert escalate(django_capture_on_commit_callbacks) == 0


def test_command_reports_how_many_it_escalated(case: Case) -> None:
    out = StringIO()
    with time_machine.travel(NOON):
        call_command("escalate_overdue", stdout=out)
    assert "1 件" in out.getvalue()


def test_the_timeline_says_an_automatic_escalation_once(
    case: Case, users: RoleUsers, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    escalate(django_capture_on_commit_callbacks)
    client.force_login(users.secretary)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    entry = page.split('<li class="event" data-action="supervise">', 1)[1].split("</li>", 1)[0]
    assert entry.count(ESCALATION_NOTE) == 1
