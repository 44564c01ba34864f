"""A tiny, hand-checkable city for tests: one district, two streets, three communities,
each community a 0.01° square tiled by grids. Codes follow the official lengths."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shapely.geometry import Polygon, box

from civicgrid.geo.geometry import area_m2, to_geojson
from civicgrid.geo.index import bump_version, reset_index
from civicgrid.geo.models import Grid, Region

ORIGIN_LNG, ORIGIN_LAT = 106.70, 26.50
STEP = 0.01


@dataclass
class TestCity:
    __test__ = False  # a fixture's type, not a test class

    city: Region
    district: Region
    street_a: Region
    street_b: Region
    comm_a1: Region  # two grids side by side (west, east)
    comm_a2: Region  # one grid
    comm_b1: Region  # one grid
    grids: dict[str, Grid]


def square(col: float, row: float = 0, cols: float = 1, rows: float = 1) -> Polygon:
    west = ORIGIN_LNG + col * STEP
    south = ORIGIN_LAT + row * STEP
    return box(west, south, west + cols * STEP, south + rows * STEP)


def make_grid(community: Region, serial: int, poly: Polygon, name: str = "") -> Grid:
    grid = Grid.objects.create(
        code=f"{community.code}{serial:03d}",
        name=name or f"{community.short_name}{serial}号网格",
        community=community,
        geometry=to_geojson(poly),
        area_m2=area_m2(poly),
        valid_from=date(2025, 1, 1),
    )
    bump_version()
    return grid


def region(
    code: str, name: str, level: str, parent: Region | None, boundary: Polygon | None = None
) -> Region:
    return Region.objects.create(
        code=code,
        name=name,
        short_name=name,
        level=level,
        parent=parent,
        boundary=to_geojson(boundary) if boundary is not None else None,
    )


def build_test_city() -> TestCity:
    reset_index()
    city = region("5201", "贵阳市", "city", None)
    district = region("520102", "南明区", "district", city)
    street_a = region("520102001", "甲街道", "street", district)
    street_b = region("520102002", "乙街道", "street", district)
    comm_a1 = region("520102001001", "甲一社区", "community", street_a, square(0, cols=2))
    comm_a2 = region("520102001002", "甲二社区", "community", street_a, square(2))
    comm_b1 = region("520102002001", "乙一社区", "community", street_b, square(3))
    grids = {
        "a1_west": make_grid(comm_a1, 1, square(0)),
        "a1_east": make_grid(comm_a1, 2, square(1)),
        "a2": make_grid(comm_a2, 1, square(2)),
        "b1": make_grid(comm_b1, 1, square(3)),
    }
    return TestCity(city, district, street_a, street_b, comm_a1, comm_a2, comm_b1, grids)
