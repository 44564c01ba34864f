"""Seamless coverage (全域覆盖、无缝衔接): gaps, overlaps and invalid polygons.

Checks are read-only and never repair a geometry: an invalid polygon is reported with
shapely's reason and kept out of the gap/overlap arithmetic, which would be meaningless on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from civicgrid.geo.geometry import area_and_perimeter_m, to_geojson, to_shape, validity_problem
from civicgrid.geo.models import Grid, Region

# Slivers below this are rounding noise from coordinate precision, not real gaps or overlaps.
MIN_PROBLEM_AREA_M2 = 1.0
# …and so are slivers whose mean width (2·area/perimeter) is under a few centimetres.
MIN_PROBLEM_WIDTH_M = 0.05


KIND_LABELS = {"gap": _("空隙"), "overlap": _("重叠"), "invalid": _("无效范围")}


@dataclass(frozen=True)
class CoverageProblem:
    kind: str  # "gap" | "overlap" | "invalid"
    message: str
    area_m2: float
    location: tuple[float, float]  # (lat, lng) of a point inside the problem
    geometry: BaseGeometry | None
    codes: tuple[str, ...]

    def as_feature(self) -> dict[str, Any]:
        geometry = (
            to_geojson(self.geometry)
            if self.geometry is not None
            else {
                "type": "Point",
                "coordinates": [self.location[1], self.location[0]],
            }
        )
        return {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "kind": self.kind,
                "label": str(KIND_LABELS[self.kind]),
                "message": self.message,
                "area_m2": round(self.area_m2, 1),
                "codes": list(self.codes),
            },
        }


def _where(geom: BaseGeometry) -> tuple[float, float]:
    point = geom.representative_point()
    return (round(point.y, 6), round(point.x, 6))


def _polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    parts = shapely.get_parts(geom)
    return [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]


def _significant(part: BaseGeometry) -> float | None:
    """Area of a real gap/overlap in m², or None for a rounding sliver (tiny or hair-thin)."""
    area, perimeter = area_and_perimeter_m(part)
    if area < MIN_PROBLEM_AREA_M2 or 2 * area / max(perimeter, 1e-9) < MIN_PROBLEM_WIDTH_M:
        return None
    return area


def check_coverage(code: str) -> list[CoverageProblem]:
    """Problems among the current grids under ``code`` (a community, street or higher)."""
    problems: list[CoverageProblem] = []
    # A grid is checked together with its community: its problems are with its neighbours.
    code = code[:12]
    grids = (
        Grid.objects.current()
        .filter(code__startswith=code)
        .order_by("code")
        .only("code", "name", "geometry")
    )
    valid: list[tuple[Grid, BaseGeometry]] = []
    footprints: dict[str, list[BaseGeometry]] = defaultdict(list)  # by community code
    for grid in grids:
        geom = to_shape(grid.geometry)
        reason = validity_problem(geom)
        if reason:
            location = shapely.get_coordinates(geom)[0] if not geom.is_empty else (0, 0)
            problems.append(
                CoverageProblem(
                    "invalid",
                    f"网格 {grid.code}({grid.name})范围无效:{reason}",
                    0.0,
                    (float(location[1]), float(location[0])),
                    None,
                    (grid.code,),
                )
            )
        else:
            valid.append((grid, geom))
        if not geom.is_empty and geom.geom_type in ("Polygon", "MultiPolygon"):
            # Its ground is still claimed: without this the invalid grid would also show up
            # as a gap. The repaired shape is used for this sum only and never stored.
            footprints[grid.code[:12]].append(shapely.make_valid(geom) if reason else geom)

    geoms = np.array([g for _, g in valid], dtype=object)
    tree = STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    # Neighbours share edges; only pairs whose interiors meet can overlap. Testing that in
    # one vectorised call spares an intersection per shared edge.
    interiors_meet = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    for i, j in zip(left[interiors_meet].tolist(), right[interiors_meet].tolist(), strict=True):
        shared = shapely.intersection(geoms[i], geoms[j])
        for part in _polygons(shared):
            area = _significant(part)
            if area is not None:
                a, b = valid[i][0], valid[j][0]
                problems.append(
                    CoverageProblem(
                        "overlap",
                        f"网格 {a.code} 与 {b.code} 重叠 {area:.1f} 平方米",
                        area,
                        _where(part),
                        part,
                        (a.code, b.code),
                    )
                )

    communities = Region.objects.filter(
        code__startswith=code, level="community", boundary__isnull=False
    )
    for community in communities:
        boundary = to_shape(community.boundary or {})
        if validity_problem(boundary):
            continue
        inside = footprints.get(community.code, [])
        covered = shapely.union_all(inside) if inside else shapely.Polygon()
        for part in _polygons(shapely.difference(boundary, covered)):
            area = _significant(part)
            if area is not None:
                problems.append(
                    CoverageProblem(
                        "gap",
                        f"{community.short_name}({community.code})有 {area:.1f} 平方米未被任何网格覆盖",
                        area,
                        _where(part),
                        part,
                        (community.code,),
                    )
                )
    return problems
