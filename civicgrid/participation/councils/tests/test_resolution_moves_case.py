"""A resolution on a case item moves the case through case_transition with exactly one
CaseEvent; when the case has moved on meanwhile, neither the resolution nor a move is written."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import CaseEvent
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import Decision, VoteChoice
from civicgrid.participation.councils.models import Resolution
from civicgrid.participation.councils.testing import attend, council_case, make_meeting
from civicgrid.testing.cases import put_in_status


def _voted_item(council: Any, users: Any, choices: list[str]) -> Any:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, len(choices))
    item = services.item_add(
        actor=users.secretary, meeting=meeting, case=council_case(users.worker)
    )
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    item.refresh_from_db()
    for member, choice in zip(members, choices, strict=True):
        services.vote_cast(actor=users.secretary, item=item, member=member, choice=choice)
    return item


def _resolve(users: Any, item: Any, decision: str) -> Resolution:
    return services.item_resolve(
        actor=users.secretary,
        item=item,
        decision=decision,
        text="由物业在两周内清理并加装围挡",
        responsible="李主任",
        due_on=timezone.localdate() + timedelta(days=14),
    )


@pytest.mark.parametrize(
    ("decision", "status", "action"),
    [
        (Decision.RESOLVED, CaseStatus.TO_VERIFY, Action.FEEDBACK),
        (Decision.COMMUNITY, CaseStatus.COMMUNITY, Action.ROUTE),
        (Decision.STREET, CaseStatus.TO_DISPATCH, Action.ROUTE),
        (Decision.VOID, CaseStatus.VOIDED, Action.VOID),
    ],
)
def test_resolution_moves_the_case_with_one_event(
    council: Any, users: Any, decision: str, status: str, action: str
) -> None:
    item = _voted_item(council, users, [VoteChoice.FOR] * 3)
    before = CaseEvent.objects.filter(case=item.case).count()
    resolution = _resolve(users, item, decision)
    item.case.refresh_from_db()
    assert item.case.status == status
    events = CaseEvent.objects.filter(case=item.case).order_by("id")
    assert events.count() == before + 1
    last = events.last()
    assert last is not None and last.action == action
    assert last.from_status == CaseStatus.COUNCIL
    assert resolution.votes_for == 3


def test_feedback_carries_the_resolution_text(council: Any, users: Any) -> None:
    item = _voted_item(council, users, [VoteChoice.FOR] * 3)
    _resolve(users, item, Decision.RESOLVED)
    last = CaseEvent.objects.filter(case=item.case).order_by("id").last()
    assert last is not None and last.note.startswith("由物业在两周内清理并加装围挡\n")


def test_case_that_moved_on_writes_nothing(council: Any, users: Any) -> None:
    item = _voted_item(council, users, [VoteChoice.FOR] * 3)
    put_in_status(item.case, CaseStatus.COMMUNITY)
    before = CaseEvent.objects.filter(case=item.case).count()
    with pytest.raises(ValidationError, match="事件已发生变化,决议未保存"):
        _resolve(users, item, Decision.RESOLVED)
    assert not Resolution.objects.exists()
    assert CaseEvent.objects.filter(case=item.case).count() == before


def test_a_failed_vote_gives_no_resolution(council: Any, users: Any) -> None:
    item = _voted_item(council, users, [VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN])
    with pytest.raises(ValidationError, match="表决未通过"):
        _resolve(users, item, Decision.RESOLVED)
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.COUNCIL


def test_follow_up_updates_the_open_list(council: Any, users: Any) -> None:
    from civicgrid.participation.councils.selectors import open_resolutions

    item = _voted_item(council, users, [VoteChoice.FOR] * 3)
    resolution = _resolve(users, item, Decision.COMMUNITY)
    assert list(open_resolutions(users.secretary)) == [resolution]
    services.resolution_progress(
        actor=users.cadre, resolution=resolution, status="done", note="已清理完毕"
    )
    assert not open_resolutions(users.secretary).exists()
