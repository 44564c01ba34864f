from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from civicgrid.participation.councils.choices import Decision, FollowUp, MemberRole, VoteChoice

MAX_PK = 2**63 - 1


class CouncilOut(Schema):
    id: int
    name: str
    community_code: str
    quorum_ratio: str
    pass_ratio: str
    pass_base: str
    pass_base_label: str
    support_threshold: int
    url: str


class CouncilMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    role: MemberRole


class CouncilMemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str
    has_account: bool
    joined_on: str
    left_on: str | None


class CouncilDetailOut(CouncilOut):
    members: list[CouncilMemberOut]


class CouncilMeetingIn(Schema):
    held_at: datetime
    place: str = Field(..., min_length=1, max_length=100)


class CouncilMeetingOut(Schema):
    id: int
    council_id: int
    council: str
    community_code: str
    held_at: str
    place: str
    status: str
    status_label: str
    url: str
    early_close_reason: str = ""


class ResolutionOut(Schema):
    id: int
    item_id: int
    item: str
    decision: str
    decision_label: str
    text: str
    votes: dict[str, int]
    responsible: str
    due_on: str
    status: str
    status_label: str
    resolved_at: str
    url: str


class CouncilItemOut(Schema):
    id: int
    order: int
    kind: str
    kind_label: str
    title: str
    case_id: int | None
    case_url: str
    proposal_id: int | None
    proposal_url: str
    discussion: str
    tally: dict[str, Any] | None
    resolution: ResolutionOut | None


class MeetingDetailOut(CouncilMeetingOut):
    present: list[int]
    items: list[CouncilItemOut]


class MeetingCloseIn(Schema):
    reason: str = Field(
        "", max_length=200, description="提前闭会的理由(会议预定时间之前闭会时必填)"
    )


class CouncilAttendanceIn(Schema):
    present: list[int] = Field(..., max_length=500)


class ItemIn(Schema):
    case: int | None = Field(None, ge=1, le=MAX_PK)
    proposal: int | None = Field(None, ge=1, le=MAX_PK)


class CouncilNoteIn(Schema):
    discussion: str = Field("", max_length=10000)


class VoteIn(Schema):
    member: int = Field(..., ge=1, le=MAX_PK)
    choice: VoteChoice


class VoteOut(Schema):
    item_id: int
    member_id: int
    choice: str
    tally: dict[str, Any]


class ResolutionIn(Schema):
    decision: Decision
    text: str = Field(..., min_length=1, max_length=4000)
    responsible: str = Field(..., min_length=1, max_length=50)
    due_on: date


class ProgressIn(Schema):
    status: FollowUp
    note: str = Field(..., min_length=1, max_length=500)


class ProposalIn(Schema):
    title: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=4000)
    address: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    # Optional: when given it must be the resident's own community.
    community_code: str | None = Field(None, pattern=r"^\d{12}$")


class ProposalOutcome(Schema):
    decision_label: str
    text: str
    date: str
    status_label: str


class ProposalOut(Schema):
    id: int
    community_code: str
    title: str
    description: str
    address: str
    lat: float | None
    lng: float | None
    status: str
    status_label: str
    support_count: int
    created_at: str
    mine: bool
    supported: bool
    proposer: str
    decline_reason: str
    resolution: ProposalOutcome | None
    url: str


class CouncilReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)
