"""Participation API: the public portal (communities, locate, a community's page data,
disclosure) and the staff's notices. Same selectors and services as the pages; every operation
declares its policy and the refusals it can answer (docs/architecture.md "One way in")."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.geo.models import Region
from civicgrid.geo.selectors import locate
from civicgrid.participation import residents, selectors, services
from civicgrid.participation.choices import NOTICE_STAFF, RESIDENT_CONFIRMERS
from civicgrid.participation.disclosure import parse_month, with_assessment
from civicgrid.participation.presenters import (
    present_claim,
    present_grid,
    present_notice_public,
    present_notice_staff,
    present_region,
)
from civicgrid.participation.schemas import (
    DisclosureOut,
    NoticeIn,
    NoticeReasonIn,
    NoticeStaffOut,
    PortalLocateOut,
    PortalOut,
    ResidentClaimOut,
    ResidentDecisionIn,
)
from civicgrid.participation.views import public_allowed

router = Router(tags=["participation"])

PUBLIC = policy(public=True, csrf=False)
STAFF_LIST = policy(roles=NOTICE_STAFF, scope=LIST)
STAFF_NEW = policy(roles=NOTICE_STAFF, scope=NONE)
STAFF_OBJECT = policy(roles=NOTICE_STAFF, scope=OBJECT)
# Locating is the costliest public question and the easiest to script: a tighter limit.
LOCATE_LIMIT = settings.PORTAL_LOCATE_LIMIT_PER_MINUTE
MAX_PK = 2**63 - 1
BUSY = "访问过于频繁,请稍后再试"


def _throttle(request: HttpRequest, scope: str = "portal", limit: int = 0) -> None:
    if not public_allowed(request, scope, limit):
        raise HttpError(429, BUSY)


class PortalLocateIn(Schema):
    lat: float
    lng: float


@router.get(
    "/communities",
    response={200: list[dict[str, Any]], **errors(429)},
    auth=PUBLIC.api,
    summary="区县 → 街道 → 社区(公开)",
)
def communities(request: HttpRequest) -> Any:
    _throttle(request)
    return selectors.communities_tree()


@router.get(
    "/locate",
    response={200: PortalLocateOut, **errors(422, 429)},
    auth=PUBLIC.api,
    summary="坐标所在社区和网格(公开,限频)",
)
def participation_locate(request: HttpRequest, params: Query[PortalLocateIn]) -> Any:
    _throttle(request, "locate", LOCATE_LIMIT)
    if not (-90 <= params.lat <= 90 and -180 <= params.lng <= 180):  # NaN fails both
        raise HttpError(422, "坐标超出范围:纬度 -90~90,经度 -180~180")
    found = locate(params.lat, params.lng)
    if found is None:
        return {"found": False, "message": "该位置不在本平台服务的网格内,请手动选择社区"}
    community = found.grid.community
    return {
        "found": True,
        "message": f"{community.short_name} · {found.grid.name}",
        "community": present_region(community),
        "grid": {"code": found.grid.code, "name": found.grid.name},
        "url": reverse("participation:community", args=[community.code])
        + f"?grid={found.grid.code}",
    }


@router.get(
    "/communities/{code}",
    response={200: PortalOut, **errors(404, 429)},
    auth=PUBLIC.api,
    summary="社区服务页数据:网格、网格员公示卡、通知公告(公开)",
)
def community_portal(request: HttpRequest, code: str) -> Any:
    _throttle(request)
    region = selectors.public_region(code)
    grids = selectors.community_grids(region)
    cards = selectors.workers_by_grid([g.code for g in grids])
    notices = selectors.notices_for(region.code, timezone.localdate()).prefetch_related(
        "targets", "attachments"
    )[:20]
    return {
        "community": present_region(region),
        "street": present_region(region.parent) if region.parent is not None else None,
        "grids": [present_grid(g, cards.get(g.code, [])) for g in grids],
        "notices": [present_notice_public(n) for n in notices],
    }


@router.get(
    "/communities/{code}/disclosure",
    response={200: DisclosureOut, **errors(404, 422, 429)},
    auth=PUBLIC.api,
    summary="社区或街道的月度信息公开(公开)",
)
def community_disclosure(request: HttpRequest, code: str, month: str = "") -> Any:
    _throttle(request)
    region = selectors.public_region(code, levels=("street", "community"))
    wanted = parse_month(month) if month else None
    if month and wanted is None:
        raise HttpError(422, "月份格式应为 年-月,例如 2026-10")
    found = selectors.disclosure_for(region.code, wanted)
    return {
        "region": present_region(region),
        "months": [f"{m:%Y-%m}" for m in selectors.disclosure_months(region.code)],
        "figures": with_assessment(found),
    }


# --- staff ----------------------------------------------------------------------------------


@router.get(
    "/notices",
    response={200: list[NoticeStaffOut], **errors(401, 403)},
    auth=STAFF_LIST.api,
    summary="我管辖范围内的通知公告",
)
def notices_list(
    request: HttpRequest,
    status: str = "",
    offset: int = Query(0, ge=0, le=100000),
    limit: int = Query(50, ge=1, le=200),
) -> Any:
    rows = selectors.staff_notices(request.user, status)[offset : offset + limit]
    return [present_notice_staff(n) for n in rows]


@router.post(
    "/notices",
    response={201: NoticeStaffOut, **errors(401, 403, 422)},
    auth=STAFF_NEW.api,
    summary="起草公告(附件请在页面上传)",
)
def notice_create(request: HttpRequest, payload: NoticeIn) -> Any:
    notice = services.notice_draft(actor=request.user, **payload.dict())
    return 201, present_notice_staff(notice)


def _notice(request: HttpRequest, pk: int) -> Any:
    if pk < 1 or pk > MAX_PK:
        raise HttpError(404, "未找到该记录,或该记录不在您的管辖范围内")
    return selectors.access_notice(request.user, pk)


@router.get(
    "/notices/{pk}",
    response={200: NoticeStaffOut, **errors(401, 403, 404)},
    auth=STAFF_OBJECT.api,
    summary="公告详情(含审核信息和阅读次数)",
)
def notice_detail(request: HttpRequest, pk: int) -> Any:
    return present_notice_staff(_notice(request, pk))


@router.put(
    "/notices/{pk}",
    response={200: NoticeStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="修改草稿或被退回的公告",
)
def notice_change(request: HttpRequest, pk: int, payload: NoticeIn) -> Any:
    notice = services.notice_update(
        notice=_notice(request, pk), actor=request.user, **payload.dict()
    )
    return present_notice_staff(notice)


@router.post(
    "/notices/{pk}/{action}",
    response={200: NoticeStaffOut, **errors(401, 403, 404, 422)},
    auth=STAFF_OBJECT.api,
    summary="提交审核 submit / 发布 publish / 退回 return / 撤回 withdraw",
)
def notice_act(
    request: HttpRequest,
    pk: int,
    action: Path[Literal["submit", "publish", "return", "withdraw"]],
    payload: NoticeReasonIn,
) -> Any:
    notice = _notice(request, pk)
    user = request.user
    if action == "submit":
        notice = services.notice_submit(notice=notice, actor=user)
    elif action == "publish":
        notice = services.notice_publish(notice=notice, actor=user, request=request)
    elif action == "return":
        notice = services.notice_return(notice=notice, actor=user, reason=payload.reason)
    else:
        notice = services.notice_withdraw(
            notice=notice, actor=user, reason=payload.reason, request=request
        )
    return present_notice_staff(notice)


# --- residents' communities ------------------------------------------------------------------


def _claims_out(claims: list[Any]) -> list[dict[str, Any]]:
    names = dict(
        Region.objects.filter(code__in={c.community_code for c in claims}).values_list(
            "code", "name"
        )
    )
    return [present_claim(c, names) for c in claims]


@router.get(
    "/residents",
    response={200: list[ResidentClaimOut], **errors(401, 403)},
    auth=policy(roles=RESIDENT_CONFIRMERS, scope=LIST).api,
    summary="登记在我管辖社区的居民(待确认 pending / 已确认 confirmed / 已驳回 rejected)",
)
def resident_claims(
    request: HttpRequest,
    status: Literal["pending", "confirmed", "rejected", ""] = "",
    offset: int = Query(0, ge=0, le=100000),
    limit: int = Query(50, ge=1, le=200),
) -> Any:
    rows = residents.claims_visible(request.user, status)[offset : offset + limit]
    return _claims_out(list(rows))


@router.post(
    "/residents/{pk}/decide",
    response={200: ResidentClaimOut, **errors(401, 403, 404, 422)},
    auth=policy(roles=RESIDENT_CONFIRMERS, scope=OBJECT).api,
    summary="确认或驳回居民登记的所属社区(驳回须填理由)",
)
def resident_claim_decide(request: HttpRequest, pk: int, payload: ResidentDecisionIn) -> Any:
    if pk < 1 or pk > MAX_PK:
        raise HttpError(404, "未找到该记录,或该记录不在您的管辖范围内")
    claim = residents.access_claim(request.user, pk, for_write=True)
    claim = residents.claim_decide(
        actor=request.user,
        claim=claim,
        confirm=payload.decision == "confirm",
        reason=payload.reason,
        request=request,
    )
    return _claims_out([claim])[0]
