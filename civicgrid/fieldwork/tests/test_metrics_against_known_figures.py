"""Geodesic distance, share inside the grid and coverage against figures worked out by hand
(WGS84 ellipsoid; the test city's grids are 0.01° squares)."""

import math
from datetime import date
from typing import Any

import pytest

from civicgrid.fieldwork.tests.walks import MID_LAT, at, line, walk
from civicgrid.registry.models import Building

A = 6378137.0
E2 = 0.00669437999014


def parallel_length(lat: float, dlng: float) -> float:
    """Length of ``dlng`` degrees along a parallel: N(φ)·cos φ·Δλ."""
    phi = math.radians(lat)
    n = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.radians(dlng)


def meridian_length(lat1: float, lat2: float) -> float:
    """Length between two latitudes on a meridian (radius M(φ) at the mid latitude)."""
    phi = math.radians((lat1 + lat2) / 2)
    m = A * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5
    return m * math.radians(abs(lat2 - lat1))


def test_distance_along_a_parallel_is_geodesic(users: Any) -> None:
    patrol = walk(users.worker, line((MID_LAT, 106.7005), (MID_LAT, 106.7095), at(9), 30))
    expected = parallel_length(MID_LAT, 0.009)  # ≈ 897 m
    assert patrol.distance_m == pytest.approx(expected, abs=0.5)
    assert patrol.duration_s == 30 * 60
    assert patrol.point_count == 61


def test_half_the_track_in_the_grid_gives_half_inside(users: Any) -> None:
    # From the middle of a1_west (lng 106.705) to the middle of a1_east (106.715).
    patrol = walk(users.worker, line((MID_LAT, 106.705), (MID_LAT, 106.715), at(9), 30))
    assert patrol.inside_share == pytest.approx(0.5, abs=0.005)


def test_coverage_counts_buildings_within_the_radius(city: Any, users: Any) -> None:
    grid = city.grids["a1_west"]
    north = 1 / 110_780  # degrees of latitude per metre near 26.5°
    for i, metres in enumerate([0, 30, 45, 80, 200, 400]):
        Building.objects.create(
            grid=grid, address=f"甲一路{i}号", lat=MID_LAT + metres * north, lng=106.705
        )
    # A retired building no longer counts.
    Building.objects.create(
        grid=grid, address="甲一路99号", lat=MID_LAT, lng=106.705, retired_on=date(2026, 1, 1)
    )
    patrol = walk(users.worker, line((MID_LAT, 106.702), (MID_LAT, 106.708), at(9), 30))
    # 0, 30 and 45 m are within the default 50 m; 80, 200 and 400 m are not.
    assert patrol.coverage_share == pytest.approx(3 / 6)


def test_without_buildings_coverage_is_the_share_of_area(users: Any) -> None:
    # Straight across the grid, west edge to east edge: a 100 m strip of the square.
    patrol = walk(users.worker, line((MID_LAT, 106.70), (MID_LAT, 106.71), at(9), 30))
    height = meridian_length(26.50, 26.51)  # ≈ 1108 m
    assert patrol.coverage_share == pytest.approx(100 / height, abs=0.002)
