"""Holes, islands in holes, grids in several parts, overlapping grids and an invalid polygon
(as an import may store with a warning): the raster answers as shapely does, first grid in
code order wins."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from civicgrid.geo.raster import GridRaster


def scan(geoms: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    found = np.full(len(xs), -1, dtype=np.int64)
    for i in range(len(geoms) - 1, -1, -1):
        found[shapely.intersects_xy(geoms[i], xs, ys)] = i
    return found


def dense_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    west, south, east, north = shapely.total_bounds(geoms)
    rng = np.random.default_rng(3)
    xs = rng.uniform(west - 0.01, east + 0.01, 20_000)
    ys = rng.uniform(south - 0.01, north + 0.01, 20_000)
    coords = shapely.get_coordinates(geoms)
    return np.r_[xs, coords[:, 0]], np.r_[ys, coords[:, 1]]


def assert_agrees(geoms: list[object]) -> None:
    array = np.array(geoms, dtype=object)
    shapely.prepare(array)
    xs, ys = dense_points(array)
    for cells_per_grid in (4, 32, 400):
        grid_raster = GridRaster.build(array, cells_per_grid)
        assert (grid_raster.locate(array, xs, ys) == scan(array, xs, ys)).all()


def test_a_hole_is_outside_its_grid_and_an_island_inside_it_answers() -> None:
    outer = box(106.70, 26.50, 106.74, 26.54)
    hole = box(106.71, 26.51, 106.73, 26.53)
    ring = Polygon(outer.exterior.coords, [hole.exterior.coords[::-1]])
    grid_raster = GridRaster.build(np.array([ring], dtype=object), 32)
    assert grid_raster.locate_one(np.array([ring]), 106.72, 26.52) == -1
    assert grid_raster.locate_one(np.array([ring]), 106.705, 26.52) == 0
    # The hole's ring drawn either way round, and an island grid inside it.
    same_ring = Polygon(outer.exterior.coords, [hole.exterior.coords])
    assert_agrees([ring, hole])
    assert_agrees([hole, same_ring])


def test_a_grid_in_two_parts() -> None:
    parts = MultiPolygon([box(106.70, 26.50, 106.71, 26.51), box(106.72, 26.50, 106.73, 26.52)])
    between = box(106.71, 26.50, 106.72, 26.51)
    assert_agrees([parts, between])
    assert_agrees([between, parts])


def test_overlapping_grids_go_to_the_lowest_code() -> None:
    big = box(106.70, 26.50, 106.74, 26.54)
    small = box(106.71, 26.51, 106.72, 26.52)
    slanted = Polygon([(106.705, 26.505), (106.735, 26.515), (106.72, 26.535)])
    assert_agrees([big, small, slanted])
    assert_agrees([slanted, small, big])
    assert_agrees([small, big])


def test_an_invalid_bow_tie_answers_as_shapely_does() -> None:
    bow_tie = Polygon([(106.70, 26.50), (106.74, 26.54), (106.74, 26.50), (106.70, 26.54)])
    assert not bow_tie.is_valid
    assert_agrees([bow_tie, box(106.72, 26.49, 106.75, 26.51)])
    assert_agrees([box(106.72, 26.49, 106.75, 26.51), bow_tie])
