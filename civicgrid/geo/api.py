from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from civicgrid.geo.models import Grid
from civicgrid.geo.schemas import LocateOut
from civicgrid.geo.selectors import locate

router = Router(tags=["geo"])


class LocateIn(Schema):
    lat: float
    lng: float


@router.get("/locate", response=LocateOut, summary="定位:坐标所在网格及上级区划")
def locate_point(request: HttpRequest, params: Query[LocateIn]) -> dict[str, Any]:
    if not (-90 <= params.lat <= 90 and -180 <= params.lng <= 180):
        raise HttpError(422, "坐标超出范围:纬度 -90~90,经度 -180~180")
    found = locate(params.lat, params.lng)
    if found is None:
        return {"found": False, "message": "该位置不在任何网格内", "grid": None, "regions": []}
    return {
        "found": True,
        "message": f"位于 {found.grid.name}",
        "grid": found.grid,
        "regions": found.chain,
    }


@router.get("/grids.geojson", summary="管辖范围内的现行网格(GeoJSON)")
def grids_geojson(request: HttpRequest, community: str = "") -> dict[str, Any]:
    grids = Grid.objects.visible_to(request.user).current().select_related("community")
    if community:
        grids = grids.filter(code__startswith=community)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": g.code,
                "geometry": g.geometry,
                "properties": {
                    "id": g.pk,
                    "code": g.code,
                    "name": g.name,
                    "kind": g.kind,
                    "community_code": g.community.code,
                    "community": g.community.short_name,
                    "area_m2": round(g.area_m2, 1),
                },
            }
            for g in grids
        ],
    }


@router.get("/coverage.geojson", summary="覆盖问题:空隙、重叠、无效范围")
def coverage_geojson(request: HttpRequest, code: str = "") -> dict[str, Any]:
    from civicgrid.geo.coverage import check_coverage

    user = request.user
    codes = [code] if code else (user.scope_codes if not user.sees_everything else [""])  # type: ignore[union-attr]
    if code and not user.in_scope(code):  # type: ignore[union-attr]
        raise HttpError(404, "未找到该区划")
    features = []
    for scope in codes:
        features += [p.as_feature() for p in check_coverage(scope)]
    return {"type": "FeatureCollection", "features": features}
