"""Joint-meeting API (/api/v1/participation/joint-meetings/): the same services as the pages.

A meeting or an agenda item named in a URL comes from ``access_meeting`` / ``access_item``
(404 out of scope, docs/architecture.md "One way in"); a service's ValidationError is answered
422 with its Chinese message, PermissionDenied 403 (config.api's handlers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from civicgrid.core.limits import body_limit
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.participation.joint import selectors, services
from civicgrid.participation.joint.choices import (
    CONVENERS,
    EARLY_CLOSE_REASON_MAX,
    MAX_AGENDA,
    MAX_DEPARTMENTS,
    MAX_DUE_DAYS,
    MEETING_READERS,
    MINUTES_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    PLACE_MAX,
    TITLE_MAX,
    MeetingStatus,
)
from civicgrid.participation.joint.presenters import (
    audience_for,
    present_candidate,
    present_meeting,
    present_meeting_row,
)

router = Router(tags=["jointmeetings"])

MAX_PK = 2**63 - 1
BODY_BYTES = 64 * 1024
Pk = Annotated[int, Field(ge=1, le=MAX_PK)]


class MeetingRowOut(Schema):
    id: int
    title: str
    starts_at: datetime
    place: str
    region_code: str
    status: str = Field(description="draft 草稿、convened 已召集、closed 已结束")
    status_label: str
    convener: str
    case_count: int | None
    url: str


class MeetingPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[MeetingRowOut]


class CaseRefOut(Schema):
    id: int
    number: str
    category_name: str
    summary: str
    status: str
    status_label: str
    department: str
    grid_code: str
    url: str = Field(description="事件页面(仅召集方)")


class JointItemOut(Schema):
    id: int
    case: CaseRefOut
    decided: bool = Field(description="是否已有决定(参会部门在会议结束后才能看到)")
    lead_department: str
    lead_department_id: int | None
    assist_departments: list[str]
    assist_department_ids: list[int]
    due_days: int | None
    note: str
    decided_at: datetime | None
    applied: bool
    applied_at: datetime | None
    applied_deadline: datetime | None


class DepartmentOut(Schema):
    id: int
    name: str


class JointMeetingOut(MeetingRowOut):
    audience: str = Field(description="convener 召集方 / department 参会部门")
    participants: list[str]
    departments: list[DepartmentOut]
    items: list[JointItemOut]
    minutes: str = Field(description="会议纪要(参会部门在会议结束后可见)")
    published: bool
    convened_at: datetime | None
    closed_at: datetime | None
    early_close_reason: str = Field(description="提前闭会理由(在会议时间之前结束时填写)")
    print_url: str


class ReturnOut(Schema):
    at: datetime
    department: str
    reason: str


class CandidateOut(CaseRefOut):
    return_count: int
    department_count: int
    on_open_agenda: bool
    overdue: bool
    reasons: list[str] = Field(
        description="departments 多部门办理、returns 多次回退、waiting 回退后超时待派遣"
    )
    departments_involved: list[str]
    returns: list[ReturnOut]


class CandidatePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[CandidateOut]


class MeetingFilter(Schema):
    status: str = Field("", max_length=12, description="draft / convened / closed;不填为全部")
    page: int = Field(1, ge=1, le=100000)


class PageFilter(Schema):
    page: int = Field(1, ge=1, le=100000)


class JointMeetingIn(Schema):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="会议名称")
    starts_at: datetime = Field(description="会议时间")
    place: str = Field(min_length=1, max_length=PLACE_MAX, description="会议地点")
    region_code: str = Field(
        "", max_length=9, description="所属辖区(本人管辖的区或街道编码;不填为本人辖区)"
    )
    participants: str = Field("", max_length=PARTICIPANTS_MAX, description="其他参会人员,每行一人")
    departments: list[Pk] = Field(
        default_factory=list, max_length=MAX_DEPARTMENTS, description="邀请的部门编号"
    )
    cases: list[Pk] = Field(default_factory=list, max_length=MAX_AGENDA, description="议程事件编号")


class DepartmentsIn(Schema):
    departments: list[Pk] = Field(min_length=1, max_length=MAX_DEPARTMENTS)


class AgendaIn(Schema):
    cases: list[Pk] = Field(min_length=1, max_length=MAX_AGENDA, description="事件 id")


class DecisionIn(Schema):
    lead_department: Pk = Field(description="主办部门编号(须为受邀部门)")
    assist_departments: list[Pk] = Field(default_factory=list, max_length=MAX_DEPARTMENTS)
    due_days: int = Field(ge=1, le=MAX_DUE_DAYS, description="处置时限(工作日,1–60)")
    note: str = Field("", max_length=NOTE_MAX)
    apply: bool = Field(False, description="记录后立即执行(派遣主办部门)")


class MinutesIn(Schema):
    minutes: str = Field(max_length=MINUTES_MAX)


class JointCloseIn(Schema):
    minutes: str | None = Field(None, max_length=MINUTES_MAX, description="同时保存的纪要(可不填)")
    reason: str | None = Field(
        None,
        max_length=EARLY_CLOSE_REASON_MAX,
        description="提前闭会理由:在会议时间之前结束会议时必填,记入会议并审计",
    )


class ApplyOut(Schema):
    changed: bool = Field(description="本次是否改变了事件(已执行过的决定不再重复执行)")
    item: JointItemOut


def _detail(request: HttpRequest, meeting: Any) -> dict[str, Any]:
    meeting.refresh_from_db()
    items = selectors.meeting_items(meeting)
    departments = [i.department for i in meeting.invitations.select_related("department")]
    return present_meeting(
        meeting, audience=audience_for(request.user), items=items, departments=departments
    )


def _item_out(request: HttpRequest, item: Any) -> dict[str, Any]:
    shown = _detail(request, item.meeting)
    return next(i for i in shown["items"] if i["id"] == item.pk)


@router.get(
    "/",
    response={200: MeetingPageOut, **errors(422)},
    summary="联席会议列表(召集方:辖区内的会议;部门:受邀参加的会议;分页)",
    auth=policy(roles=MEETING_READERS, scope=LIST).api,
)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> dict[str, Any]:
    if filters.status and filters.status not in MeetingStatus.values:
        raise HttpError(422, "状态应为 draft、convened 或 closed")
    page = paginate(request, selectors.meetings_for(request.user, status=filters.status))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_meeting_row(m) for m in page.object_list],
    }


@router.get(
    "/candidates",
    response={200: CandidatePageOut, **errors(422)},
    summary="待协调事件:多个部门办理过、回退两次以上、或回退后超时待派遣的辖区事件",
    auth=policy(roles=CONVENERS, scope=LIST).api,
)
def list_candidates(request: HttpRequest, filters: Query[PageFilter]) -> dict[str, Any]:
    now = timezone.now()
    page = paginate(request, selectors.candidates_for(request.user, now=now))
    found = selectors.histories([c.pk for c in page.object_list])
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_candidate(c, found[c.pk], now=now) for c in page.object_list],
    }


@router.post(
    "/",
    response={201: JointMeetingOut, **errors(403, 413, 422)},
    summary="创建联席会议(草稿):参会部门须负责本辖区,议程事件须在本人管辖范围内",
    auth=policy(roles=CONVENERS, scope=NONE).api,
)
@decorate_view(body_limit(BODY_BYTES))
def create_meeting(request: HttpRequest, payload: JointMeetingIn) -> Status:
    meeting = services.meeting_create(
        actor=request.user,
        title=payload.title,
        starts_at=payload.starts_at,
        place=payload.place,
        region_code=payload.region_code,
        participants=payload.participants,
        department_ids=payload.departments,
        cases=services.cases_by_ids(request.user, payload.cases),
    )
    return Status(201, _detail(request, meeting))


@router.get(
    "/{pk}",
    response={200: JointMeetingOut, **errors(404)},
    summary="会议详情:议程、决定、纪要(参会部门在会议结束后看到决定和纪要)",
    auth=policy(roles=MEETING_READERS, scope=OBJECT).api,
)
def meeting_detail(request: HttpRequest, pk: Pk) -> dict[str, Any]:
    return _detail(request, services.access_meeting(request.user, pk))


@router.post(
    "/{pk}/departments",
    response={200: JointMeetingOut, **errors(403, 404, 413, 422)},
    summary="邀请部门(须负责本会议辖区;已邀请的不重复)",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
@decorate_view(body_limit(BODY_BYTES))
def invite(request: HttpRequest, pk: Pk, payload: DepartmentsIn) -> dict[str, Any]:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    services.meeting_invite(meeting=meeting, actor=request.user, department_ids=payload.departments)
    return _detail(request, meeting)


@router.post(
    "/{pk}/agenda",
    response={200: JointMeetingOut, **errors(403, 404, 413, 422)},
    summary="列入议程(事件须在本人管辖范围和会议辖区内;同一事件不能重复列入)",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
@decorate_view(body_limit(BODY_BYTES))
def agenda(request: HttpRequest, pk: Pk, payload: AgendaIn) -> dict[str, Any]:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    services.agenda_add(
        meeting=meeting,
        actor=request.user,
        cases=services.cases_by_ids(request.user, payload.cases),
    )
    return _detail(request, meeting)


@router.post(
    "/{pk}/convene",
    response={200: JointMeetingOut, **errors(403, 404, 422)},
    summary="召集会议(草稿→已召集),通知参会部门",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
def convene(request: HttpRequest, pk: Pk) -> dict[str, Any]:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    services.meeting_convene(meeting=meeting, actor=request.user)
    return _detail(request, meeting)


@router.put(
    "/{pk}/minutes",
    response={200: JointMeetingOut, **errors(403, 404, 413, 422)},
    summary="保存会议纪要(会议结束前)",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
@decorate_view(body_limit(BODY_BYTES))
def minutes(request: HttpRequest, pk: Pk, payload: MinutesIn) -> dict[str, Any]:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    services.minutes_save(meeting=meeting, actor=request.user, minutes=payload.minutes)
    return _detail(request, meeting)


@router.post(
    "/{pk}/close",
    response={200: JointMeetingOut, **errors(403, 404, 413, 422)},
    summary="结束会议:发布纪要和决定,通知各参会部门(会议时间之前结束须填写理由)",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
@decorate_view(body_limit(BODY_BYTES))
def close(request: HttpRequest, pk: Pk, payload: JointCloseIn) -> dict[str, Any]:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    services.meeting_close(
        meeting=meeting,
        actor=request.user,
        minutes=payload.minutes,
        reason=payload.reason,
        request=request,
    )
    return _detail(request, meeting)


@router.put(
    "/items/{pk}/decision",
    response={200: JointItemOut, **errors(403, 404, 413, 422)},
    summary="记录对一件事件的决定:主办、协办、新的处置时限(工作日);可同时执行",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
@decorate_view(body_limit(BODY_BYTES))
def decision(request: HttpRequest, pk: Pk, payload: DecisionIn) -> dict[str, Any]:
    item = services.access_item(request.user, pk, for_write=True)
    services.decision_record(
        item=item,
        actor=request.user,
        lead_department_id=payload.lead_department,
        assist_department_ids=payload.assist_departments,
        due_days=payload.due_days,
        note=payload.note,
    )
    if payload.apply:
        services.decision_apply(item=item, actor=request.user)
    return _item_out(request, item)


@router.post(
    "/items/{pk}/apply",
    response={200: ApplyOut, **errors(403, 404, 422)},
    summary="执行决定:把事件派往主办部门并设新时限(一次事件流转一条记录;重复执行不再改变)",
    auth=policy(roles=CONVENERS, scope=OBJECT).api,
)
def apply(request: HttpRequest, pk: Pk) -> dict[str, Any]:
    item = services.access_item(request.user, pk, for_write=True)
    item, changed = services.decision_apply(item=item, actor=request.user)
    return {"changed": changed, "item": _item_out(request, item)}
