"""志愿服务 API: public activities and ranking of a community (rate-limited), the resident's
sign-up, cancellation and check-in, and the staff's teams, volunteers, activities, attendance,
closing and hours. Same selectors and services as the pages; every operation declares its
policy and the refusals it answers (docs/architecture.md "One way in")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.participation.volunteers import selectors, services
from civicgrid.participation.volunteers.choices import VOLUNTEER_SELF, VOLUNTEER_STAFF, TeamKind
from civicgrid.participation.volunteers.presenters import (
    present_activity_public,
    present_activity_staff,
    present_my_signup,
    present_ranking_public,
    present_signup_staff,
    present_team,
    present_volunteer_staff,
)
from civicgrid.participation.volunteers.schemas import (
    MAX_PK,
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ActivityPatchIn,
    ActivityStaffOut,
    CheckinIn,
    CountOut,
    HoursIn,
    MeOut,
    MySignupOut,
    SignupIn,
    SignupStaffOut,
    StaffSignupIn,
    TeamIn,
    VolunteerAttendanceIn,
    VolunteerIn,
    VolunteerOut,
    VolunteerRankingOut,
    VolunteerTeamOut,
)
from civicgrid.participation.volunteers.views import public_allowed

router = Router(tags=["volunteers"])

PUBLIC = policy(public=True, csrf=False)
SELF = policy(roles=VOLUNTEER_SELF, scope=NONE)
STAFF_LIST = policy(roles=VOLUNTEER_STAFF, scope=LIST)
STAFF_NEW = policy(roles=VOLUNTEER_STAFF, scope=NONE)
STAFF_OBJECT = policy(roles=VOLUNTEER_STAFF, scope=OBJECT)
NOT_FOUND = "未找到该记录,或该记录不在您的管辖范围内"


def _throttle(request: HttpRequest) -> None:
    if not public_allowed(request):
        raise HttpError(429, "访问过于频繁,请稍后再试")


def _pk(pk: int) -> int:
    if pk < 1 or pk > MAX_PK:
        raise HttpError(404, NOT_FOUND)
    return pk


# --- public ----------------------------------------------------------------------------------


@router.get(
    "/communities/{code}/activities",
    response={200: list[ActivityOut], **errors(404, 429)},
    auth=PUBLIC.api,
    summary="社区近期志愿活动及剩余名额(公开,限频)",
)
def community_activities(request: HttpRequest, code: str) -> Any:
    _throttle(request)
    region = selectors.public_community(code)
    return [present_activity_public(a) for a in selectors.public_activities(region.code)[:50]]


@router.get(
    "/communities/{code}/ranking",
    response={200: VolunteerRankingOut, **errors(404, 429)},
    auth=PUBLIC.api,
    summary="社区本年度志愿服务时长榜(公开,姓名脱敏)",
)
def community_ranking(request: HttpRequest, code: str) -> Any:
    _throttle(request)
    region = selectors.public_community(code)
    year = selectors.this_year()
    return {"year": year, **present_ranking_public(selectors.ranking(region.code, year))}


@router.get(
    "/activities/{pk}",
    response={200: ActivityOut, **errors(404, 429)},
    auth=PUBLIC.api,
    summary="志愿活动(公开)",
)
def activity_detail(request: HttpRequest, pk: int) -> Any:
    _throttle(request)
    return present_activity_public(selectors.public_activity(_pk(pk)))


# --- the resident ----------------------------------------------------------------------------


@router.get(
    "/me",
    response={200: MeOut, **errors(401, 403)},
    auth=SELF.api,
    summary="我的报名、本年度时长和近期活动",
)
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    year = selectors.this_year()
    return {
        "year": year,
        "hours": str(selectors.my_hours(user, year)),
        "signups": [present_my_signup(r) for r in selectors.my_signups(user)],
        "upcoming": [present_activity_public(a) for a in selectors.resident_upcoming(user)[:30]],
    }


def _mine(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    found = selectors.public_activity(_pk(pk))
    volunteer = services.resident_volunteer_for(request.user, found)
    if volunteer is None:
        raise ValidationError("您没有报名该活动")
    return found, volunteer


def _my_row(found: Any, volunteer: Any) -> Any:
    row = found.signups.select_related("activity", "activity__team").get(volunteer=volunteer)
    row.activity = selectors.public_activity(found.pk)
    return present_my_signup(row)


@router.post(
    "/activities/{pk}/signup",
    response={201: MySignupOut, **errors(401, 403, 404, 422)},
    auth=SELF.api,
    summary="报名(名额已满、重复报名、活动已开始时拒绝)",
)
def activity_signup(request: HttpRequest, pk: int, payload: SignupIn) -> Any:
    user: Any = request.user
    found = selectors.public_activity(_pk(pk))
    with transaction.atomic():
        volunteer = services.resident_profile(user, found.community_code, phone=payload.phone)
        services.signup(activity=found, volunteer=volunteer, actor=user)
    return Status(201, _my_row(found, volunteer))


@router.post(
    "/activities/{pk}/cancel",
    response={200: MySignupOut, **errors(401, 403, 404, 422)},
    auth=SELF.api,
    summary="取消报名(活动开始前;记录保留,名额释放)",
)
def activity_cancel(request: HttpRequest, pk: int) -> Any:
    found, volunteer = _mine(request, pk)
    services.signup_cancel(activity=found, volunteer=volunteer)
    return _my_row(found, volunteer)


@router.post(
    "/activities/{pk}/checkin",
    response={200: MySignupOut, **errors(401, 403, 404, 422)},
    auth=SELF.api,
    summary="定位签到(须在签到时段内、活动地点附近)",
)
def activity_checkin(request: HttpRequest, pk: int, payload: CheckinIn) -> Any:
    found, volunteer = _mine(request, pk)
    services.checkin_self(activity=found, volunteer=volunteer, lat=payload.lat, lng=payload.lng)
    return _my_row(found, volunteer)


@router.post(
    "/activities/{pk}/checkout",
    response={200: MySignupOut, **errors(401, 403, 404, 422)},
    auth=SELF.api,
    summary="签退(结项时按实际时长记入)",
)
def activity_checkout(request: HttpRequest, pk: int) -> Any:
    found, volunteer = _mine(request, pk)
    services.checkout_self(activity=found, volunteer=volunteer)
    return _my_row(found, volunteer)


# --- staff -----------------------------------------------------------------------------------


@router.get(
    "/manage/teams",
    response={200: list[VolunteerTeamOut], **errors(401, 403)},
    auth=STAFF_LIST.api,
    summary="辖区内的志愿服务队",
)
def teams(request: HttpRequest) -> Any:
    year = selectors.this_year()
    rows = selectors.staff_teams(request.user, year)[:200]
    return [present_team(t, getattr(t, "hours", None) or 0) for t in rows]


@router.post(
    "/manage/teams",
    response={201: VolunteerTeamOut, **errors(401, 403, 404, 422)},
    auth=STAFF_NEW.api,
    summary="新建志愿服务队",
)
def team_create(request: HttpRequest, payload: TeamIn) -> Any:
    if payload.kind not in TeamKind.values:
        raise ValidationError("队伍类型无效")
    leader = (
        selectors.access_volunteer(request.user, payload.leader_id) if payload.leader_id else None
    )
    team = services.team_save(
        actor=request.user,
        community_code=payload.community_code,
        name=payload.name,
        kind=payload.kind,
        description=payload.description,
        leader=leader,
    )
    return Status(201, present_team(team, 0))


@router.post(
    "/manage/volunteers",
    response={201: VolunteerOut, **errors(401, 403, 404, 422)},
    auth=STAFF_NEW.api,
    summary="登记志愿者(电话加密存储,返回时脱敏)",
)
def volunteer_create(request: HttpRequest, payload: VolunteerIn) -> Any:
    chosen = [selectors.access_team(request.user, pk) for pk in payload.team_ids]
    volunteer = services.volunteer_register(
        actor=request.user,
        community_code=payload.community_code,
        name=payload.name,
        phone=payload.phone,
        skills=payload.skills,
        teams=chosen,
    )
    return Status(201, present_volunteer_staff(volunteer, 0))


@router.get(
    "/manage/activities",
    response={200: list[ActivityStaffOut], **errors(401, 403)},
    auth=STAFF_LIST.api,
    summary="辖区内的近期活动",
)
def activities(request: HttpRequest) -> Any:
    return [present_activity_staff(a) for a in selectors.staff_activities(request.user)[:100]]


@router.post(
    "/manage/activities",
    response={201: ActivityStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_NEW.api,
    summary="发布志愿活动(可关联本社区的事件或网格任务)",
)
def activity_create(request: HttpRequest, payload: ActivityIn) -> Any:
    team = selectors.access_team(request.user, payload.team_id, for_write=True)
    data = payload.dict()
    data.pop("team_id")
    created = services.activity_create(actor=request.user, team=team, **data)
    return Status(201, present_activity_staff(selectors.access_activity(request.user, created.pk)))


def _staff_activity(request: HttpRequest, pk: int, *, for_write: bool = False) -> Any:
    return selectors.access_activity(request.user, _pk(pk), for_write=for_write)


@router.get(
    "/manage/activities/{pk}",
    response={200: ActivityDetailOut, **errors(401, 403, 404)},
    auth=STAFF_OBJECT.api,
    summary="活动详情及报名、考勤",
)
def activity_manage(request: HttpRequest, pk: int) -> Any:
    found = _staff_activity(request, pk)
    return {
        "activity": present_activity_staff(found),
        "signups": [present_signup_staff(r) for r in selectors.attendance(found)],
    }


@router.patch(
    "/manage/activities/{pk}",
    response={200: ActivityStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="修改已发布的活动(结项或取消后不可改;名额不少于已报名人数;改时间通知报名者)",
)
def activity_update(request: HttpRequest, pk: int, payload: ActivityPatchIn) -> Any:
    found = _staff_activity(request, pk, for_write=True)
    changes = payload.dict(exclude_unset=True)
    for field in ("title", "place", "description", "date", "starts_at", "ends_at", "places"):
        # null for a field that has a value means "unchanged", never "empty".
        if field in changes and changes[field] is None:
            changes.pop(field)
    if changes.get("team_id") is not None:
        changes["team"] = selectors.access_team(request.user, changes["team_id"], for_write=True)
    changes.pop("team_id", None)
    services.activity_update(activity=found, actor=request.user, changes=changes)
    return present_activity_staff(selectors.access_activity(request.user, found.pk))


@router.post(
    "/manage/activities/{pk}/signups",
    response={201: SignupStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="为志愿者(含无账号的社区外人员)报名",
)
def activity_staff_signup(request: HttpRequest, pk: int, payload: StaffSignupIn) -> Any:
    found = _staff_activity(request, pk, for_write=True)
    # Every object the write touches is checked: the volunteer too, and of this community.
    volunteer = selectors.access_volunteer(request.user, payload.volunteer_id)
    if volunteer.community_code != found.community_code:
        raise ValidationError("只能为本社区的志愿者报名")
    row = services.signup(activity=found, volunteer=volunteer, actor=request.user)
    return Status(201, present_signup_staff(row))


@router.post(
    "/manage/activities/{pk}/attendance",
    response={200: CountOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="组织者勾选到场志愿者",
)
def activity_attendance(request: HttpRequest, pk: int, payload: VolunteerAttendanceIn) -> Any:
    found = _staff_activity(request, pk, for_write=True)
    ticked = services.attendance_mark(activity=found, actor=request.user, present=payload.present)
    return {"ticked": ticked}


@router.post(
    "/manage/activities/{pk}/close",
    response={200: ActivityDetailOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="结项:为到场志愿者记入服务时长",
)
def activity_close(request: HttpRequest, pk: int) -> Any:
    found = _staff_activity(request, pk, for_write=True)
    services.activity_close(activity=found, actor=request.user)
    return activity_manage(request, pk)


@router.post(
    "/manage/signups/{pk}/hours",
    response={200: SignupStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="调整一名志愿者的服务时长(须填理由,留审计)",
)
def signup_hours(request: HttpRequest, pk: int, payload: HoursIn) -> Any:
    row = selectors.access_signup(request.user, _pk(pk), for_write=True)
    services.hours_adjust(
        row=row, actor=request.user, hours=payload.hours, reason=payload.reason, request=request
    )
    return present_signup_staff(row)
