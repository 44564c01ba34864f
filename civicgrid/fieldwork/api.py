"""Field-work API (/api/v1/fieldwork/): the phone's patrol (start, bulk track upload, end, report
a problem found), household visits (record, list, due list) and the supervisors' reads
(patrols, tracks, on-duty map, 一日双巡, flags).

Only the services and selectors of this app are called (docs/architecture.md "One way in"):
every patrol named in a URL comes from ``access_patrol`` (404 out of scope, tracks are personal
data), every list from ``visible_to`` through the selectors, every answer from the presenters.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from civicgrid.accounts.choices import LEDGER_READERS, TRACK_READERS, WRITE_ROLES, Role
from civicgrid.accounts.models import User
from civicgrid.cases.models import Category
from civicgrid.core.limits import body_limit
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.fieldwork import schemas as s
from civicgrid.fieldwork import selectors, services
from civicgrid.fieldwork.models import Patrol
from civicgrid.fieldwork.presenters import (
    present_compliance,
    present_flag,
    present_patrol,
    present_visit,
)
from civicgrid.fieldwork.visits import visit_record
from civicgrid.geo.models import Grid
from civicgrid.registry.selectors import ledger_code

router = Router(tags=["fieldwork"])

# Starting, uploading, ending and reporting: the grid worker on their own patrol only.
FIELD = frozenset({Role.GRID_WORKER})
# A batch of 2,000 points is about 200 KB of JSON; anything much larger is refused unread.
POINTS_MAX_BYTES = 1024 * 1024
SMALL_BODY_BYTES = 64 * 1024
# A visit may carry three photos as base64, each shrunk by the phone first.
VISIT_BODY_BYTES = 13 * 1024 * 1024
# How far back a list of flags may reach in one request (the page stays a page).
MAX_FLAG_DAYS = 92


def _message(exc: ValidationError) -> str:
    return ";".join(exc.messages)


def _patrol(request: HttpRequest, pk: int) -> Patrol:
    return selectors.access_patrol(request.user, pk)


def _own(request: HttpRequest, pk: int) -> Patrol:
    """A patrol the caller may write to: visible to them (404 otherwise) and their own."""
    patrol = _patrol(request, pk)
    if patrol.worker_id != request.user.pk:
        raise HttpError(403, "只能操作本人的巡查")
    return patrol


def _detail(request: HttpRequest, patrol: Patrol) -> dict[str, Any]:
    """The patrol with its flags (the caller got the patrol through ``access_patrol``)."""
    flags = patrol.flags.select_related("patrol__worker", "patrol__grid").order_by("at", "pk")
    return {
        **present_patrol(patrol, user=request.user),
        "flags": [present_flag(flag) for flag in flags],
    }


def _me(request: HttpRequest) -> User:
    # The policy admitted only signed-in grid workers to the writing operations.
    return cast(User, request.user)


def _today() -> date:
    return timezone.localdate()


@router.post(
    "/patrols",
    response={200: s.PatrolOut, 201: s.PatrolOut, **errors(413, 422)},
    summary="开始巡查(同一客户端标识重复提交返回同一次巡查;已有未结束的巡查时返回它)",
    auth=policy(roles=FIELD, scope=NONE).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def start_patrol(request: HttpRequest, payload: s.PatrolStartIn) -> Status:
    grid = None
    if payload.grid_id is not None:
        grid = Grid.objects.filter(pk=payload.grid_id).first()
        if grid is None or not _me(request).in_scope(grid.code, reads="tracks"):
            raise HttpError(422, "所选网格不存在或不在您负责的范围内")
    before = set(
        Patrol.objects.filter(worker=_me(request), ended_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if payload.client_key:
        before |= set(
            Patrol.objects.filter(worker=_me(request), client_key=payload.client_key).values_list(
                "pk", flat=True
            )
        )
    try:
        patrol = services.patrol_start(
            worker=_me(request), at=payload.at, client_key=payload.client_key, grid=grid
        )
    except ValidationError as exc:
        raise HttpError(422, _message(exc)) from exc
    # A repeat (same client key, or the patrol already open) is not a new resource.
    return Status(200 if patrol.pk in before else 201, _detail(request, patrol))


@router.post(
    "/patrols/{pk}/points",
    response={200: s.UploadOut, **errors(403, 404, 413, 422)},
    summary="批量上传轨迹点(每批最多 2000 个;重复的点不算错误,不合规的点逐个说明原因)",
    auth=policy(roles=FIELD, scope=OBJECT).api,
)
@decorate_view(body_limit(POINTS_MAX_BYTES))
def upload_points(request: HttpRequest, pk: int, payload: s.PointsIn) -> dict[str, Any]:
    patrol = _own(request, pk)
    try:
        result = services.track_points_add(
            patrol=patrol,
            actor=_me(request),
            points=[p.dict() for p in payload.points],
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "只能上传本人巡查的轨迹") from exc
    except ValidationError as exc:
        raise HttpError(422, _message(exc)) from exc
    return {
        "accepted": result.accepted,
        "duplicates": result.duplicates,
        "refused": [{"index": i, "reason": str(reason)} for i, reason in result.refused],
    }


@router.post(
    "/patrols/{pk}/end",
    response={200: s.PatrolOut, **errors(403, 404, 422)},
    summary="结束巡查:计算时长、里程、网格内占比、覆盖率,生成监察提示(重复提交无副作用)",
    auth=policy(roles=FIELD, scope=OBJECT).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def end_patrol(request: HttpRequest, pk: int) -> dict[str, Any]:
    patrol = _own(request, pk)
    try:
        patrol = services.patrol_end(patrol=patrol, actor=_me(request))
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "只能结束本人的巡查") from exc
    except ValidationError as exc:
        raise HttpError(422, _message(exc)) from exc
    return _detail(request, patrol)


@router.post(
    "/patrols/{pk}/cases",
    response={201: s.PatrolCaseOut, **errors(403, 404, 413, 422)},
    summary="上报巡查中发现的问题(生成事件并关联到本次巡查)",
    auth=policy(roles=FIELD, scope=OBJECT).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def report_case(request: HttpRequest, pk: int, payload: s.PatrolCaseIn) -> Status:
    patrol = _own(request, pk)
    category = Category.objects.current().minors().filter(pk=payload.category).first()
    if category is None:
        raise HttpError(422, f"未知的事件小类:{payload.category}")
    try:
        case = services.patrol_report_case(
            patrol=patrol,
            actor=_me(request),
            category=category,
            description=payload.description,
            lat=payload.lat,
            lng=payload.lng,
            address=payload.address,
            urgent=payload.urgent,
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "只能在本人的巡查中上报") from exc
    except ValidationError as exc:
        raise HttpError(422, _message(exc)) from exc
    return Status(201, {"id": case.pk, "number": case.number, "patrol_id": patrol.pk})


@router.get(
    "/patrols",
    response={200: s.PatrolPageOut, **errors(422)},
    summary="巡查列表(按管辖范围;可按日期、网格员、网格编码前缀筛选;分页)",
    auth=policy(roles=TRACK_READERS, scope=LIST).api,
)
def list_patrols(request: HttpRequest, filters: Query[s.PatrolFilter]) -> dict[str, Any]:
    rows = selectors.patrol_list(
        request.user, day=filters.day, worker_id=filters.worker, grid_prefix=filters.grid or ""
    )
    page = paginate(request, rows)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_patrol(p, user=request.user) for p in page.object_list],
    }


@router.get(
    "/patrols/{pk}",
    response={200: s.PatrolOut, **errors(404)},
    summary="巡查详情(含监察提示)",
    auth=policy(roles=TRACK_READERS, scope=OBJECT).api,
)
def patrol_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, _patrol(request, pk))


@router.get(
    "/patrols/{pk}/track",
    response={200: s.TrackOut, **errors(404)},
    summary="巡查轨迹(按时间排序;查看他人轨迹会记入审计日志)",
    auth=policy(roles=TRACK_READERS, scope=OBJECT).api,
)
def patrol_track(request: HttpRequest, pk: int) -> dict[str, Any]:
    patrol = _patrol(request, pk)
    points = selectors.patrol_track(request.user, patrol, request=request)
    return {"patrol_id": patrol.pk, "points": points}


@router.get(
    "/onduty.geojson",
    response={200: s.FeatureCollectionOut, **errors(422)},
    summary="在岗地图数据(GeoJSON):每位网格员当天最后位置与当天的巡查轨迹",
    auth=policy(roles=TRACK_READERS, scope=LIST).api,
)
def onduty(request: HttpRequest, params: Query[s.DayIn]) -> HttpResponse:
    data = selectors.onduty(request.user, params.day or _today(), request=request)
    # The schema documents the answer, which the selector builds to it. A street's day is
    # ~60,000 coordinates: pydantic checking and dumping them again took twice as long as
    # building them, and the standard json module's float formatting as long again (issue 9
    # "Speed": the map's data in < 200 ms).
    return HttpResponse(orjson.dumps(data), content_type="application/json; charset=utf-8")


@router.get(
    "/compliance",
    response={200: list[s.ComplianceOut], **errors(422)},
    summary="一日双巡结果列表(按管辖范围,某一天)",
    auth=policy(roles=TRACK_READERS, scope=LIST).api,
)
def compliance_list(request: HttpRequest, params: Query[s.DayIn]) -> list[dict[str, Any]]:
    rows = selectors.compliance_list(request.user, params.day or _today())
    return [present_compliance(row) for row in rows]


@router.get(
    "/compliance/{worker_id}",
    response={200: list[s.ComplianceOut], **errors(404, 422)},
    summary="某位网格员一个月的一日双巡结果(日历)",
    auth=policy(roles=TRACK_READERS, scope=OBJECT).api,
)
def compliance_month(
    request: HttpRequest, worker_id: int, params: Query[s.MonthIn]
) -> list[dict[str, Any]]:
    if params.month:
        year, month = (int(part) for part in params.month.split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise HttpError(422, "月份应为 YYYY-MM,如 2026-05")
    else:
        today = _today()
        year, month = today.year, today.month
    worker = selectors.access_worker(request.user, worker_id)
    rows = selectors.compliance_month(request.user, worker, year, month)
    return [present_compliance(row) for row in rows]


@router.get(
    "/flags",
    response={200: list[s.FlagOut], **errors(422)},
    summary="电子监察提示(按管辖范围,日期区间最长 92 天)",
    auth=policy(roles=TRACK_READERS, scope=LIST).api,
)
def flags(request: HttpRequest, params: Query[s.FlagsIn]) -> list[dict[str, Any]]:
    day_to = params.date_to or _today()
    day_from = params.date_from or day_to - timedelta(days=7)
    if day_from > day_to:
        raise HttpError(422, "起始日期不能晚于截止日期")
    if (day_to - day_from).days > MAX_FLAG_DAYS:
        raise HttpError(422, f"日期区间最长 {MAX_FLAG_DAYS} 天")
    return [present_flag(flag) for flag in selectors.flags_list(request.user, day_from, day_to)]


# ---------------------------------------------------------------------------------------------
# Household visits (入户走访): recorded by ledger writers (mostly the grid worker on the phone),
# read by LEDGER_READERS. The person or household named must be visible to the recorder.


@router.post(
    "/visits",
    response={200: s.VisitOut, 201: s.VisitOut, **errors(413, 422)},
    summary="登记入户走访(同一 client_key 重复提交返回已登记的走访,状态 200)",
    auth=policy(roles=WRITE_ROLES, scope=NONE).api,
)
@decorate_view(body_limit(VISIT_BODY_BYTES))
def record_visit(request: HttpRequest, payload: s.VisitIn) -> Status:
    try:
        visit, created = visit_record(
            actor=_me(request),
            person=cast(Any, payload.person),
            household=cast(Any, payload.household),
            purpose=payload.purpose,
            findings=payload.findings,
            follow_up=payload.follow_up,
            visited_at=payload.visited_at,
            lat=payload.lat,
            lng=payload.lng,
            client_key=payload.client_key,
            raise_case=payload.raise_case.dict() if payload.raise_case else None,
            correction=payload.correction.dict() if payload.correction else None,
            photos=payload.photos,
        )
    except ValidationError as exc:
        raise HttpError(422, _message(exc)) from exc
    return Status(201 if created else 200, present_visit(visit, user=request.user))


@router.get(
    "/visits",
    response={200: s.VisitPageOut, **errors(422)},
    summary="走访列表(按管辖范围;可按走访对象、网格编码前缀、日期筛选;分页)",
    auth=policy(roles=LEDGER_READERS, scope=LIST).api,
)
def list_visits(request: HttpRequest, filters: Query[s.VisitFilter]) -> dict[str, Any]:
    if filters.day_from and filters.day_to and filters.day_from > filters.day_to:
        raise HttpError(422, "起始日期不能晚于截止日期")
    rows = selectors.visits_list(
        request.user,
        person_id=filters.person,
        grid_prefix=filters.grid or "",
        day_from=filters.day_from,
        day_to=filters.day_to,
    )
    page = paginate(request, rows)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_visit(v, user=request.user) for v in page.object_list],
    }


@router.get(
    "/visits/due",
    response={200: list[s.DueVisitOut], **errors(404, 422)},
    summary="应走访名单(按走访规则,逾期最久的在前)",
    auth=policy(roles=LEDGER_READERS, scope=LIST).api,
)
def due_visits(request: HttpRequest, params: Query[s.DueIn]) -> list[Any]:
    # A code outside the jurisdiction is a 404, as for a missing one (ledger_code).
    code = ledger_code(request.user, params.code) if params.code else ""
    return list(selectors.due_visits(request.user, limit=params.limit, code=code))


@router.get(
    "/visits/{pk}",
    response={200: s.VisitOut, **errors(404)},
    summary="走访详情",
    auth=policy(roles=LEDGER_READERS, scope=OBJECT).api,
)
def visit_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return present_visit(selectors.access_visit(request.user, pk), user=request.user)


from civicgrid.fieldwork.task_api import task_router  # noqa: E402  (grid tasks, one router)

router.add_router("/tasks", task_router)

from civicgrid.fieldwork.report_api import report_router  # noqa: E402  (拍照上报, phone outbox)

router.add_router("", report_router)

from civicgrid.fieldwork.worklog_api import worklog_router  # noqa: E402  (民情日志, one router)

router.add_router("/worklog", worklog_router)
