from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from civicgrid.geo.schemas import GridOut, LocateOut, MergeIn, SplitIn
from civicgrid.geo.selectors import (
    access_grid_for_adjustment,
    coverage_problems_for,
    grids_feature_collection,
    locate_for,
)
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split

router = Router(tags=["geo"])


class LocateIn(Schema):
    lat: float
    lng: float


@router.get("/locate", response=LocateOut, summary="定位:坐标所在网格及上级区划")
def locate_point(request: HttpRequest, params: Query[LocateIn]) -> dict[str, Any]:
    if not (-90 <= params.lat <= 90 and -180 <= params.lng <= 180):
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


@router.get("/grids.geojson", summary="管辖范围内的现行网格(GeoJSON)")
def grids_geojson(request: HttpRequest, community: str = "") -> dict[str, Any]:
    return grids_feature_collection(request.user, community)


@router.get("/coverage.geojson", summary="覆盖问题:空隙、重叠、无效范围")
def coverage_geojson(request: HttpRequest, code: str = "") -> dict[str, Any]:
    problems = coverage_problems_for(request.user, code)  # 404 when out of scope
    return {"type": "FeatureCollection", "features": [p.as_feature() for p in problems]}


def _adjustable(request: HttpRequest, pk: int) -> Any:
    try:
        return access_grid_for_adjustment(request.user, pk)
    except PermissionDenied as exc:
        raise HttpError(403, "只有街道网格管理中心和系统管理员可以调整网格") from exc


@router.post("/grids/{pk}/split", response={201: list[GridOut]}, summary="拆分网格")
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


@router.post("/grids/merge", response={201: GridOut}, summary="合并同一社区内相邻的网格")
def merge_grids(request: HttpRequest, payload: MergeIn) -> Status:
    grids = [_adjustable(request, pk) for pk in payload.grid_ids]
    try:
        merged = grid_merge(
            grids=grids, actor=request.user, on=payload.on, name=payload.name, request=request
        )
    except GridAdjustmentError as exc:
        raise HttpError(422, str(exc)) from exc
    return Status(201, merged)
