"""Geo API. Every operation declares its policy (docs/architecture.md "One way in") and the error
answers it can give, so the published schema matches what a client receives."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from civicgrid.accounts.choices import GRID_MAP_ROLES, MAP_READERS
from civicgrid.core.limits import body_limit
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.geo.basemap import community_features
from civicgrid.geo.schemas import GridMergeIn, GridOut, LocateOut, SplitIn
from civicgrid.geo.selectors import (
    ADJUST_ROLES,
    access_grid_for_adjustment,
    coverage_problems_for,
    grids_feature_collection,
    locate_for,
)
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split

router = Router(tags=["geo"])

READ_MAP = policy(roles=MAP_READERS, scope=LIST)
# Splits and merges redraw the jurisdiction: the street command centre and the system
# administrator only, and only on grids inside their scope (access_grid_for_adjustment).
ADJUST = policy(roles=ADJUST_ROLES, scope=OBJECT)

# Django's DATA_UPLOAD_MAX_MEMORY_SIZE is one limit for the whole site; a cutter line is a few
# kilobytes, so these endpoints refuse anything much bigger before reading it.
SPLIT_MAX_BYTES = 1024 * 1024
MERGE_MAX_BYTES = 64 * 1024
# Primary keys are 64-bit: a larger number names nothing, and must not reach the database.
MAX_PK = 2**63 - 1


class LocateIn(Schema):
    # The bounds are documented (OpenAPI) but checked in the view, whose one message names both.
    lat: float = Field(
        ..., description="纬度(WGS-84)", json_schema_extra={"minimum": -90, "maximum": 90}
    )
    lng: float = Field(
        ..., description="经度(WGS-84)", json_schema_extra={"minimum": -180, "maximum": 180}
    )


@router.get(
    "/locate",
    response={200: LocateOut, **errors(401, 403, 422)},
    auth=READ_MAP.api,
    summary="定位:坐标所在网格及上级区划",
)
def locate_point(request: HttpRequest, params: Query[LocateIn]) -> Any:
    if not (-90 <= params.lat <= 90 and -180 <= params.lng <= 180):  # NaN fails both
        raise HttpError(422, "坐标超出范围:纬度 -90~90,经度 -180~180")
    found = locate_for(request.user, params.lat, params.lng)
    if found is None:
        # Outside every grid and outside the caller's jurisdiction read the same.
        return {"found": False, "message": "该位置不在您管辖范围内的任何网格内", "grid": None}
    return {
        "found": True,
        "message": f"位于 {found.grid.name}",
        "grid": found.grid,
        "regions": found.chain,
    }


@router.get(
    "/grids.geojson",
    response={200: dict[str, Any], **errors(401, 403)},
    auth=policy(roles=GRID_MAP_ROLES, scope=LIST).api,
    summary="管辖范围内的现行网格(GeoJSON)",
)
def grids_geojson(request: HttpRequest, community: str = "") -> Any:
    return grids_feature_collection(request.user, community)


@router.get(
    "/communities.geojson",
    response={200: dict[str, Any], **errors(401, 403)},
    auth=READ_MAP.api,
    summary="管辖范围内的社区边界(GeoJSON)",
)
def communities_geojson(request: HttpRequest) -> Any:
    return community_features(request.user)


@router.get(
    "/coverage.geojson",
    response={200: dict[str, Any], **errors(401, 403, 404)},
    auth=READ_MAP.api,
    summary="覆盖问题:空隙、重叠、无效范围",
)
def coverage_geojson(request: HttpRequest, code: str = "") -> Any:
    if code and not (code.isdigit() and len(code) <= 15):
        raise HttpError(404, "区划代码不存在或不在您的管辖范围内")
    problems = coverage_problems_for(request.user, code)  # 404 when out of scope
    return {"type": "FeatureCollection", "features": [p.as_feature() for p in problems]}


def _adjustable(request: HttpRequest, pk: int) -> Any:
    if not 0 < pk <= MAX_PK:
        raise HttpError(404, f"网格 {pk} 不存在或不在您的管辖范围内")
    try:
        return access_grid_for_adjustment(request.user, pk)
    except PermissionDenied as exc:
        raise HttpError(403, "只有街道网格管理中心和系统管理员可以调整网格") from exc


ADJUST_ERRORS: dict[int, Any] = {**errors(400, 401, 403, 404, 413, 422)}


@router.post(
    "/grids/{pk}/split",
    response={201: list[GridOut], **ADJUST_ERRORS},
    auth=ADJUST.api,
    summary="拆分网格",
    description="切割线须为 GeoJSON LineString(不自相交、至少两点)或闭合的 Polygon;"
    f"请求体上限 {SPLIT_MAX_BYTES // 1024} KB。",
)
@decorate_view(body_limit(SPLIT_MAX_BYTES))
def split_grid(request: HttpRequest, pk: int, payload: SplitIn) -> Status:
    grid = _adjustable(request, pk)
    try:
        new = grid_split(
            grid=grid,
            cutter=payload.cutter,
            actor=request.user,
            on=payload.on,
            names=payload.names or None,
            request=request,
        )
    except GridAdjustmentError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, new)


@router.post(
    "/grids/merge",
    response={201: GridOut, **ADJUST_ERRORS},
    auth=ADJUST.api,
    summary="合并同一社区内相邻的网格",
    description=f"请求体上限 {MERGE_MAX_BYTES // 1024} KB。",
)
@decorate_view(body_limit(MERGE_MAX_BYTES))
def merge_grids(request: HttpRequest, payload: GridMergeIn) -> Status:
    grids = [_adjustable(request, pk) for pk in payload.grid_ids]
    try:
        merged = grid_merge(
            grids=grids, actor=request.user, on=payload.on, name=payload.name, request=request
        )
    except GridAdjustmentError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, merged)
