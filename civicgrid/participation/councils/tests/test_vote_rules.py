"""A vote is one per present member and item, immutable, refused after close, before the
meeting starts and without quorum; each refusal says why in Chinese."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import MeetingStatus, VoteChoice
from civicgrid.participation.councils.models import AgendaItem, Vote
from civicgrid.participation.councils.testing import attend, council_case, make_meeting


@pytest.fixture
def setup(council: Any, users: Any) -> Any:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, 3)
    case = council_case(users.worker)
    item = services.item_add(actor=users.secretary, meeting=meeting, case=case)
    return meeting, members, item


def _vote(users: Any, item: AgendaItem, member: Any, choice: str = VoteChoice.FOR) -> Vote:
    item.meeting.refresh_from_db()
    return services.vote_cast(actor=users.secretary, item=item, member=member, choice=choice)


def test_vote_before_the_meeting_starts_is_refused(setup: Any, users: Any) -> None:
    _meeting, members, item = setup
    with pytest.raises(ValidationError, match="会议尚未开始"):
        _vote(users, item, members[0])


def test_second_vote_is_refused_and_the_first_stays(setup: Any, users: Any) -> None:
    meeting, members, item = setup
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    _vote(users, item, members[0], VoteChoice.FOR)
    with pytest.raises(ValidationError, match="表决一经作出不能更改"):
        _vote(users, item, members[0], VoteChoice.AGAINST)
    assert list(Vote.objects.values_list("choice", flat=True)) == [VoteChoice.FOR]


def test_vote_after_close_is_refused(setup: Any, users: Any) -> None:
    meeting, members, item = setup
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    services.meeting_close(actor=users.secretary, meeting=meeting, reason="议程已全部表决")
    with pytest.raises(ValidationError, match="已闭会"):
        _vote(users, item, members[1])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED


def test_vote_without_quorum_is_refused(council: Any, users: Any) -> None:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, 2)  # 2 of 5
    item = services.item_add(
        actor=users.secretary, meeting=meeting, case=council_case(users.worker)
    )
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    with pytest.raises(ValidationError, match="法定人数"):
        _vote(users, item, members[0])


def test_absent_member_cannot_vote(setup: Any, users: Any) -> None:
    meeting, _members, item = setup
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    absent = meeting.council.members.order_by("id").last()
    with pytest.raises(ValidationError, match="出席"):
        _vote(users, item, absent)


def test_a_member_who_voted_cannot_be_marked_absent(setup: Any, users: Any) -> None:
    meeting, members, item = setup
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    _vote(users, item, members[0])
    with pytest.raises(ValidationError, match="不能改为缺席"):
        services.attendance_set(
            actor=users.secretary, meeting=meeting, present=[m.pk for m in members[1:]]
        )
