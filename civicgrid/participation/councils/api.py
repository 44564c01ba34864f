"""议事会 API: the same selectors and services as the pages. Every operation declares its
policy and the refusals it can answer (docs/architecture.md "One way in")."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from civicgrid.cases.models import Case
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.participation.councils import selectors, services
from civicgrid.participation.councils.choices import (
    COUNCIL_KEEPERS,
    COUNCIL_READERS,
    PROPOSAL_USERS,
    RESIDENTS,
    ProposalStatus,
)
from civicgrid.participation.councils.models import Proposal, Support
from civicgrid.participation.councils.presenters import (
    present_council,
    present_item,
    present_meeting,
    present_member,
    present_proposal,
    present_resolution,
    present_tally,
)
from civicgrid.participation.councils.schemas import (
    CouncilAttendanceIn,
    CouncilDetailOut,
    CouncilItemOut,
    CouncilMeetingIn,
    CouncilMeetingOut,
    CouncilMemberIn,
    CouncilMemberOut,
    CouncilNoteIn,
    CouncilOut,
    CouncilReasonIn,
    ItemIn,
    MeetingCloseIn,
    MeetingDetailOut,
    ProgressIn,
    ProposalIn,
    ProposalOut,
    ResolutionIn,
    ResolutionOut,
    VoteIn,
    VoteOut,
)

router = Router(tags=["councils"])

READ_LIST = policy(roles=COUNCIL_READERS, scope=LIST).api
READ_ONE = policy(roles=COUNCIL_READERS, scope=OBJECT).api
KEEP_ONE = policy(roles=COUNCIL_KEEPERS, scope=OBJECT).api
PROPOSAL_LIST = policy(roles=PROPOSAL_USERS, scope=LIST).api
PROPOSAL_ONE = policy(roles=PROPOSAL_USERS, scope=OBJECT).api
PROPOSE = policy(roles=RESIDENTS, scope=NONE).api
LIMIT = 100


class Paging(Schema):
    offset: int = 0
    limit: int = 50


def _window(params: Paging) -> slice:
    if params.offset < 0 or params.offset > 10**6 or not 1 <= params.limit <= LIMIT:
        raise HttpError(422, f"offset 须在 0~1000000,limit 须在 1~{LIMIT} 之间")
    return slice(params.offset, params.offset + params.limit)


def _meeting_detail(meeting: Any) -> dict[str, Any]:
    items = meeting.items.select_related("case", "proposal", "resolution").order_by("order", "id")
    return {
        **present_meeting(meeting),
        "present": list(
            meeting.attendance.filter(present=True).values_list("member_id", flat=True)
        ),
        "items": [present_item(i, services.tally(i)) for i in items],
    }


# --- councils -----------------------------------------------------------------------------------


@router.get(
    "/councils",
    response={200: list[CouncilOut], **errors(401, 403, 422)},
    auth=READ_LIST,
    summary="议事会列表(按管辖范围)",
)
def council_list(request: HttpRequest, params: Query[Paging]) -> Any:
    return [present_council(c) for c in selectors.councils_for(request.user)[_window(params)]]


@router.get(
    "/councils/{pk}",
    response={200: CouncilDetailOut, **errors(401, 403, 404)},
    auth=READ_ONE,
    summary="议事会详情及成员",
)
def council_detail(request: HttpRequest, pk: int) -> Any:
    found = selectors.access_council(request.user, pk)
    members = found.members.order_by("left_on", "role", "id")
    return {**present_council(found), "members": [present_member(m) for m in members]}


@router.post(
    "/councils/{pk}/members",
    response={201: CouncilMemberOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="添加议事会成员",
)
def council_member_add(request: HttpRequest, pk: int, body: CouncilMemberIn) -> Any:
    found = selectors.access_council(request.user, pk)
    member = services.member_add(actor=request.user, council=found, name=body.name, role=body.role)
    return Status(201, present_member(member))


@router.post(
    "/councils/{pk}/meetings",
    response={201: CouncilMeetingOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="新建议事会议",
)
def meeting_create(request: HttpRequest, pk: int, body: CouncilMeetingIn) -> Any:
    found = selectors.access_council(request.user, pk)
    meeting = services.meeting_draft(
        actor=request.user, council=found, held_at=body.held_at, place=body.place
    )
    return Status(201, present_meeting(meeting))


# --- meetings -----------------------------------------------------------------------------------


@router.get(
    "/meetings",
    response={200: list[CouncilMeetingOut], **errors(401, 403, 422)},
    auth=READ_LIST,
    summary="议事会议列表",
)
def meeting_list(request: HttpRequest, params: Query[Paging]) -> Any:
    return [present_meeting(m) for m in selectors.meetings_for(request.user)[_window(params)]]


@router.get(
    "/meetings/{pk}",
    response={200: MeetingDetailOut, **errors(401, 403, 404)},
    auth=READ_ONE,
    summary="会议详情(议题、出席、表决)",
)
def meeting_detail(request: HttpRequest, pk: int) -> Any:
    return _meeting_detail(selectors.access_meeting(request.user, pk))


@router.post(
    "/meetings/{pk}/attendance",
    response={200: MeetingDetailOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="登记出席",
)
def meeting_attendance(request: HttpRequest, pk: int, body: CouncilAttendanceIn) -> Any:
    found = selectors.access_meeting(request.user, pk)
    services.attendance_set(actor=request.user, meeting=found, present=body.present)
    return _meeting_detail(found)


@router.post(
    "/meetings/{pk}/items",
    response={201: CouncilItemOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="将议题列入会议议程",
)
def meeting_item_add(request: HttpRequest, pk: int, body: ItemIn) -> Any:
    found = selectors.access_meeting(request.user, pk)
    user: Any = request.user
    case = Case.objects.visible_to(user).filter(pk=body.case).first() if body.case else None
    proposal = (
        Proposal.objects.visible_to(user).filter(pk=body.proposal).first()
        if body.proposal
        else None
    )
    if (body.case and case is None) or (body.proposal and proposal is None):
        raise Http404
    item = services.item_add(actor=user, meeting=found, case=case, proposal=proposal)
    return Status(201, present_item(item, services.tally(item)))


@router.post(
    "/meetings/{pk}/convene",
    response={200: MeetingDetailOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="召开会议",
)
def meeting_convene(request: HttpRequest, pk: int) -> Any:
    found = selectors.access_meeting(request.user, pk)
    return _meeting_detail(services.meeting_convene(actor=request.user, meeting=found))


@router.post(
    "/meetings/{pk}/close",
    response={200: MeetingDetailOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="结束会议并记录纪要",
)
def meeting_close(request: HttpRequest, pk: int, body: MeetingCloseIn) -> Any:
    found = selectors.access_meeting(request.user, pk)
    return _meeting_detail(
        services.meeting_close(
            actor=request.user, meeting=found, reason=body.reason, request=request
        )
    )


# --- agenda items -------------------------------------------------------------------------------


@router.post(
    "/items/{pk}/discussion",
    response={200: CouncilItemOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="记录议题讨论",
)
def item_discussion(request: HttpRequest, pk: int, body: CouncilNoteIn) -> Any:
    item = selectors.access_item(request.user, pk)
    services.item_note(actor=request.user, item=item, text=body.discussion)
    return present_item(item, services.tally(item))


@router.post(
    "/items/{pk}/votes",
    response={201: VoteOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="议题表决(每位成员一票)",
)
def item_vote(request: HttpRequest, pk: int, body: VoteIn) -> Any:
    item = selectors.access_item(request.user, pk)
    member = item.meeting.council.members.filter(pk=body.member).first()
    if member is None:
        raise HttpError(422, "该成员不是本议事会成员")
    vote = services.vote_cast(actor=request.user, item=item, member=member, choice=body.choice)
    result = {
        "item_id": item.pk,
        "member_id": member.pk,
        "choice": vote.choice,
        "tally": present_tally(services.tally(item)),
    }
    return Status(201, result)


@router.post(
    "/items/{pk}/resolution",
    response={201: ResolutionOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="形成决议",
)
def item_resolution(request: HttpRequest, pk: int, body: ResolutionIn) -> Any:
    item = selectors.access_item(request.user, pk)
    resolution = services.item_resolve(
        actor=request.user,
        item=item,
        decision=body.decision,
        text=body.text,
        responsible=body.responsible,
        due_on=body.due_on,
    )
    return Status(201, present_resolution(resolution))


# --- resolutions --------------------------------------------------------------------------------


@router.get(
    "/resolutions",
    response={200: list[ResolutionOut], **errors(401, 403, 422)},
    auth=READ_LIST,
    summary="待落实的决议",
)
def resolution_open_list(request: HttpRequest, params: Query[Paging]) -> Any:
    found = selectors.open_resolutions(request.user)[_window(params)]
    return [present_resolution(r) for r in found]


@router.post(
    "/resolutions/{pk}/progress",
    response={200: ResolutionOut, **errors(401, 403, 404, 422)},
    auth=KEEP_ONE,
    summary="登记决议落实进度",
)
def resolution_progress(request: HttpRequest, pk: int, body: ProgressIn) -> Any:
    found = selectors.access_resolution(request.user, pk)
    services.resolution_progress(
        actor=request.user, resolution=found, status=body.status, note=body.note
    )
    return present_resolution(found)


# --- proposals ----------------------------------------------------------------------------------


class ProposalFilter(Paging):
    status: ProposalStatus | None = None


def _present(proposal: Proposal, user: Any) -> dict[str, Any]:
    supported = Support.objects.filter(
        proposal=proposal, user=user, withdrawn_at__isnull=True
    ).exists()
    return present_proposal(proposal, user, supported=supported)


@router.get(
    "/proposals",
    response={200: list[ProposalOut], **errors(401, 403, 422)},
    auth=PROPOSAL_LIST,
    summary="居民议题列表",
)
def proposal_list(request: HttpRequest, params: Query[ProposalFilter]) -> Any:
    user: Any = request.user
    found = selectors.proposals_for(user).select_related("proposer")
    if params.status:
        found = found.filter(status=params.status)
    page = list(found[_window(params)])
    supported = set(
        Support.objects.filter(
            user=user, withdrawn_at__isnull=True, proposal__in=[p.pk for p in page]
        ).values_list("proposal_id", flat=True)
    )
    return [present_proposal(p, user, supported=p.pk in supported) for p in page]


@router.post(
    "/proposals",
    response={201: ProposalOut, **errors(401, 403, 422)},
    auth=PROPOSE,
    summary="提出议题(居民或议事会成员)",
)
def proposal_create(request: HttpRequest, body: ProposalIn) -> Any:
    proposal = services.proposal_create(actor=request.user, **body.dict())
    return Status(201, _present(proposal, request.user))


@router.get(
    "/proposals/{pk}",
    response={200: ProposalOut, **errors(401, 403, 404)},
    auth=PROPOSAL_ONE,
    summary="议题详情",
)
def proposal_detail(request: HttpRequest, pk: int) -> Any:
    return _present(selectors.access_proposal(request.user, pk), request.user)


@router.post(
    "/proposals/{pk}/support",
    response={200: ProposalOut, **errors(401, 403, 404, 422)},
    auth=PROPOSAL_ONE,
    summary="支持议题(每人一次)",
)
def proposal_support(request: HttpRequest, pk: int) -> Any:
    found = selectors.access_proposal(request.user, pk)
    return _present(services.proposal_support(actor=request.user, proposal=found), request.user)


@router.post(
    "/proposals/{pk}/withdraw-support",
    response={200: ProposalOut, **errors(401, 403, 404, 422)},
    auth=PROPOSAL_ONE,
    summary="撤回支持",
)
def proposal_withdraw_support(request: HttpRequest, pk: int) -> Any:
    found = selectors.access_proposal(request.user, pk)
    updated = services.proposal_withdraw_support(actor=request.user, proposal=found)
    return _present(updated, request.user)


@router.post(
    "/proposals/{pk}/decline",
    response={200: ProposalOut, **errors(401, 403, 404, 422)},
    auth=PROPOSAL_ONE,
    summary="不予列入议程(须说明理由)",
)
def proposal_decline(request: HttpRequest, pk: int, body: CouncilReasonIn) -> Any:
    found = selectors.access_proposal(request.user, pk)
    updated = services.proposal_decline(actor=request.user, proposal=found, reason=body.reason)
    return _present(updated, request.user)
