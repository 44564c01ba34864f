"""Builders for councils tests and for the permission matrix's world (civicgrid/testing/matrix.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import Case
from civicgrid.participation.choices import ClaimStatus
from civicgrid.participation.councils.choices import (
    Decision,
    ItemKind,
    MeetingStatus,
    MemberRole,
    VoteChoice,
)
from civicgrid.participation.councils.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    Proposal,
    Resolution,
    Vote,
)
from civicgrid.participation.models import ResidentCommunity
from civicgrid.testing.cases import put_in_status, report_case


def make_council(code: str, *, members: int = 5, threshold: int = 3, **fields: Any) -> Council:
    council = Council.objects.create(
        community_code=code,
        name=fields.pop("name", "议事会"),
        support_threshold=threshold,
        **fields,
    )
    roles = [MemberRole.RESIDENT_REP, MemberRole.PARTY_MEMBER, MemberRole.CADRE]
    for n in range(members):
        CouncilMember.objects.create(
            council=council,
            name=f"成员{n + 1}",
            role=roles[n % 3],
            joined_on=date(2026, 1, 1),
        )
    return council


def make_meeting(council: Council, actor: Any, *, status: str = MeetingStatus.DRAFT) -> Meeting:
    return Meeting.objects.create(
        council=council,
        community_code=council.community_code,
        held_at=timezone.now() + timedelta(hours=1),
        place="社区议事厅",
        created_by=actor,
        status=status,
    )


def attend(meeting: Meeting, count: int) -> list[CouncilMember]:
    members = list(meeting.council.members.order_by("id"))
    for n, member in enumerate(members):
        Attendance.objects.create(meeting=meeting, member=member, present=n < count)
    return members[:count]


def council_case(reporter: Any, **kwargs: Any) -> Case:
    case = report_case(reporter, **kwargs)
    return put_in_status(case, CaseStatus.COUNCIL)


def set_community(user: Any, code: str, status: str = ClaimStatus.PENDING) -> None:
    ResidentCommunity.objects.update_or_create(
        user=user, defaults={"community_code": code, "status": status, "since": timezone.now()}
    )


def make_proposal(user: Any, code: str, title: str = "小区加装路灯", **fields: Any) -> Proposal:
    set_community(user, code)
    return Proposal.objects.create(
        community_code=code,
        title=title,
        description=fields.pop("description", "晚上太黑"),
        proposer=user,
        created_at=timezone.now(),
        **fields,
    )


# --- the matrix's world --------------------------------------------------------------------------


def world_councils(w: Any) -> dict[str, Any]:
    """A council of community a1 with a convened meeting: a case item (resolved) and a
    proposal by the world's resident (whose community is a1)."""
    if "council" in w.objects:
        return w.objects
    code = w.city.comm_a1.code
    council = make_council(code, name="矩阵标记议事会")
    meeting = make_meeting(council, w.users.secretary, status=MeetingStatus.CONVENED)
    members = attend(meeting, 4)
    case = council_case(w.users.worker)
    item = AgendaItem.objects.create(
        meeting=meeting,
        community_code=code,
        kind=ItemKind.CASE,
        case=case,
        title="矩阵标记议程",
    )
    for member in members:
        Vote.objects.create(
            item=item,
            member=member,
            choice=VoteChoice.FOR,
            cast_at=timezone.now(),
            recorded_by=w.users.secretary,
        )
    resolution = Resolution.objects.create(
        item=item,
        community_code=code,
        decision=Decision.COMMUNITY,
        text="矩阵标记决议",
        responsible="矩阵标记",
        due_on=timezone.localdate() + timedelta(days=7),
        resolved_at=timezone.now(),
        resolved_by=w.users.secretary,
    )
    proposal = make_proposal(w.users.resident, code, title="矩阵标记议题")
    w.objects.update(
        council=council,
        meeting=meeting,
        council_item=item,
        resolution=resolution,
        proposal=proposal,
    )
    return w.objects
