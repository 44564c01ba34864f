"""After a few grids change (split, merge, reshape, a new grid, a retired one), patching the
raster around them answers exactly as a scan of the new grids in code order, and as a full
build does; a change reaching beyond the raster's extent asks for a full build."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from civicgrid.geo.raster import GridRaster
from civicgrid.geo.tests.test_index_agrees_with_shapely import brute_force, probe_points, voronoi


def changed_tiling(
    geoms: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """New grids in code order after a random change, with ``remap`` (old position → new,
    -1 when gone or reshaped) and the bounds of old and new shapes that changed."""
    n = len(geoms)
    keys: list[float] = list(range(n))  # code order as sort keys; new grids slot in between
    shapes = list(geoms)
    remap_from = list(range(n))  # old position of each current entry, -1 for a new shape
    action = rng.integers(4) if n > 1 else 3
    victim = int(rng.integers(n))
    if action == 0:  # split a grid in two along a vertical line through its centre
        poly = shapes[victim]
        x = shapely.centroid(poly).x
        west, south, east, north = poly.bounds
        halves = [
            shapely.intersection(poly, shapely.box(west - 1, south - 1, x, north + 1)),
            shapely.intersection(poly, shapely.box(x, south - 1, east + 1, north + 1)),
        ]
        shapes[victim], remap_from[victim] = halves[0], -1
        keys.append(n + rng.random())
        shapes.append(halves[1])
        remap_from.append(-1)
    elif action == 1:  # merge a grid into the one after it
        other = (victim + 1) % n
        shapes[victim], remap_from[victim] = shapely.union(shapes[victim], shapes[other]), -1
        del keys[other], shapes[other], remap_from[other]
    elif action == 2:  # retire a grid, leaving a hole
        del keys[victim], shapes[victim], remap_from[victim]
    else:  # a new grid overlapping others, given a code in the middle of the order
        centre = shapely.centroid(shapes[victim])
        keys.append(victim - 0.5)
        shapes.append(shapely.buffer(centre, 0.002, quad_segs=3))
        remap_from.append(-1)
    order = np.argsort(keys, kind="stable")
    new = np.array([shapes[i] for i in order], dtype=object)
    shapely.prepare(new)
    remap = np.full(n, -1, dtype=np.int64)
    for position, i in enumerate(order):
        if remap_from[i] >= 0:
            remap[remap_from[i]] = position
    gone = np.flatnonzero(remap < 0)
    fresh = [p for p, i in enumerate(order) if remap_from[i] < 0]
    changed = np.concatenate([shapely.bounds(geoms[gone]), shapely.bounds(new[fresh])])
    return new, remap, changed


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=50),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    changes=st.integers(min_value=1, max_value=3),
)
def test_a_patched_raster_agrees_with_a_scan(n: int, seed: int, changes: int) -> None:
    rng = np.random.default_rng(seed)
    geoms = voronoi(n, seed)
    grid_raster = GridRaster.build(geoms)
    for _ in range(changes):
        geoms, remap, changed = changed_tiling(geoms, rng)
        patched = grid_raster.patch(geoms, remap, changed)
        if patched is None:  # the change reached beyond the extent
            west, south, east, north = (
                changed[:, 0].min(),
                changed[:, 1].min(),
                changed[:, 2].max(),
                changed[:, 3].max(),
            )
            assert (
                west < grid_raster.x0
                or south < grid_raster.y0
                or (east - grid_raster.x0) / grid_raster.cell >= grid_raster.nx
                or (north - grid_raster.y0) / grid_raster.cell >= grid_raster.ny
            )
            patched = GridRaster.build(geoms)
        grid_raster = patched
        xs, ys = probe_points(geoms, rng)
        expected = brute_force(geoms, xs, ys)
        assert (grid_raster.locate(geoms, xs, ys) == expected).all()
        assert (GridRaster.build(geoms).locate(geoms, xs, ys) == expected).all()


def test_a_window_no_edge_touches_fills_nothing() -> None:
    # Hypothesis found it: a patch window away from every edge has no (grid, cell) pairs.
    square = shapely.box(106.61, 26.50, 106.62, 26.51)
    raster = GridRaster._fill(
        np.array([square], dtype=object), 106.6, 26.5, 0.004, 10, 7, (6, 9, 4, 6)
    )
    assert raster is not None
