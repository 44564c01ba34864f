"""Points outside every grid, in a gap between grids, or not numbers at all get no grid."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import box

from civicgrid.geo.raster import GridRaster

GEOMS = np.array([box(106.70, 26.50, 106.71, 26.51), box(106.72, 26.50, 106.73, 26.51)])


def test_points_outside_every_grid_get_none() -> None:
    grid_raster = GridRaster.build(GEOMS)
    xs = np.array([106.715, 106.60, 106.80, 106.705, np.nan, np.inf, -np.inf, 106.705])
    ys = np.array([26.505, 26.505, 26.505, 26.60, 26.505, 26.505, 26.505, np.nan])
    assert (grid_raster.locate(GEOMS, xs, ys) == -1).all()
    assert [grid_raster.locate_one(GEOMS, x, y) for x, y in zip(xs, ys, strict=True)] == [-1] * len(
        xs
    )
    assert grid_raster.locate_one(GEOMS, 106.725, 26.505) == 1


def test_a_point_just_outside_the_extent_edge_gets_none() -> None:
    grid_raster = GridRaster.build(GEOMS)
    east = float(shapely.total_bounds(GEOMS)[2])
    xs = np.array([np.nextafter(east, np.inf), east, np.nextafter(east, -np.inf)])
    ys = np.full(3, 26.505)
    assert grid_raster.locate(GEOMS, xs, ys).tolist() == [-1, 1, 1]
