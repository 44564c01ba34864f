"""The raster answers exactly what a scan of the grids in code order with shapely's
``intersects_xy`` answers: on random Voronoi tilings, at random points, at every vertex, on
edge midpoints and a hair either side of edges, whatever the cell size."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.geo.raster import GridRaster

WEST, SOUTH, EAST, NORTH = 106.60, 26.50, 106.64, 26.53


def voronoi(n: int, seed: int) -> np.ndarray:
    """``n`` Voronoi cells clipped to a box, rounded to 1e-7° as grids are stored."""
    rng = np.random.default_rng(seed)
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(WEST, EAST, n), rng.uniform(SOUTH, NORTH, n)])
    )
    frame = shapely.box(WEST, SOUTH, EAST, NORTH)
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame)), frame
    )
    cells = shapely.set_precision(cells, 1e-7)
    cells = cells[~shapely.is_empty(cells)]
    shapely.prepare(cells)
    return cells


def brute_force(geoms: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Position of the first grid (code order) whose closed polygon holds each point, or -1."""
    found = np.full(len(xs), -1, dtype=np.int64)
    for i in range(len(geoms) - 1, -1, -1):
        found[shapely.intersects_xy(geoms[i], xs, ys)] = i
    return found


def probe_points(geoms: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random points in and around the box, every vertex, every edge midpoint, and points a
    hair either side of those midpoints."""
    coords = shapely.get_coordinates(geoms)
    mids = (coords[:-1] + coords[1:]) / 2
    hair = rng.choice([-1e-12, -1e-9, 1e-9, 1e-12], size=mids.shape)
    scatter = np.column_stack(
        [
            rng.uniform(WEST - 0.005, EAST + 0.005, 300),
            rng.uniform(SOUTH - 0.005, NORTH + 0.005, 300),
        ]
    )
    points = np.concatenate([scatter, coords, mids, mids + hair])
    return points[:, 0], points[:, 1]


def check(geoms: np.ndarray, xs: np.ndarray, ys: np.ndarray, cells_per_grid: int = 32) -> None:
    grid_raster = GridRaster.build(geoms, cells_per_grid)
    expected = brute_force(geoms, xs, ys)
    assert (grid_raster.locate(geoms, xs, ys) == expected).all()
    one_by_one = [
        grid_raster.locate_one(geoms, float(x), float(y)) for x, y in zip(xs, ys, strict=True)
    ]
    assert one_by_one == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    cells_per_grid=st.sampled_from([1, 4, 32, 300]),
)
def test_the_raster_agrees_with_a_scan_on_voronoi_grids(
    n: int, seed: int, cells_per_grid: int
) -> None:
    geoms = voronoi(n, seed)
    xs, ys = probe_points(geoms, np.random.default_rng(seed))
    check(geoms, xs, ys, cells_per_grid)
