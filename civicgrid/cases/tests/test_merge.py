from typing import Any

import pytest

from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.services import case_merge
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.notifications.models import Notification
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers


@pytest.fixture
def pair(users: RoleUsers) -> tuple[Case, Case]:
    main = report_case(users.worker)
    duplicate = report_case(users.resident, channel=Channel.RESIDENT)
    return main, duplicate


def test_merge_closes_the_duplicate_through_the_workflow(
    users: RoleUsers, pair: tuple[Case, Case]
) -> None:
    main, duplicate = pair
    case_merge(duplicate=duplicate, into=main, actor=users.secretary)
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.MERGED
    assert duplicate.merged_into == main
    event = CaseEvent.objects.get(case=duplicate, action=Action.MERGE)
    assert event.data == {"into": main.pk}
    assert main.number in event.note


def test_duplicate_reporter_hears_when_the_main_case_progresses(
    users: RoleUsers, pair: tuple[Case, Case], django_capture_on_commit_callbacks: Any
) -> None:
    main, duplicate = pair
    case_merge(duplicate=duplicate, into=main, actor=users.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=main, action=Action.ACCEPT, actor=users.secretary)
    told = Notification.objects.get(recipient=users.resident, title__contains="已受理")
    assert main.number in told.title


def test_cannot_merge_into_itself(users: RoleUsers, pair: tuple[Case, Case]) -> None:
    main, _ = pair
    with pytest.raises(TransitionError, match="主事件"):
        case_merge(duplicate=main, into=main, actor=users.secretary)


def test_cannot_merge_into_a_closed_case(users: RoleUsers, pair: tuple[Case, Case]) -> None:
    main, duplicate = pair
    Case.objects.filter(pk=main.pk).update(status=CaseStatus.CLOSED)
    main.refresh_from_db()
    with pytest.raises(TransitionError, match="已办结"):
        case_merge(duplicate=duplicate, into=main, actor=users.secretary)


def test_grid_worker_cannot_merge(users: RoleUsers, pair: tuple[Case, Case]) -> None:
    main, duplicate = pair
    with pytest.raises(TransitionError, match="角色"):
        case_merge(duplicate=duplicate, into=main, actor=users.worker)
