"""Geometry helpers: GeoJSON in and out, geodesic areas in m²."""

from __future__ import annotations

from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

_GEOD = Geod(ellps="WGS84")


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    return shape(geojson)


def to_geojson(geom: BaseGeometry, precision: int = 7) -> dict[str, Any]:
    rounded = shapely.set_precision(geom, 10**-precision) if precision else geom
    return dict(mapping(rounded))


def area_m2(geom: BaseGeometry) -> float:
    """Geodesic area on the WGS84 ellipsoid; never degrees squared."""
    if geom.is_empty:
        return 0.0
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(area)


def area_and_perimeter_m(geom: BaseGeometry) -> tuple[float, float]:
    if geom.is_empty:
        return 0.0, 0.0
    area, perimeter = _GEOD.geometry_area_perimeter(geom)
    return abs(area), perimeter


def validity_problem(geom: BaseGeometry) -> str | None:
    """None when valid; otherwise shapely's reason, e.g. ``Self-intersection[106.7 26.5]``."""
    if geom.is_empty:
        return "Empty geometry"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f"Not a polygon: {geom.geom_type}"
    if shapely.is_valid(geom):
        return None
    return str(shapely.is_valid_reason(geom))
