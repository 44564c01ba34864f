"""A point on an edge or corner shared by several grids belongs to all of them; the raster
answers with the lowest code (the first in index order), as a scan in code order would."""

from __future__ import annotations

import numpy as np
import shapely

from civicgrid.geo.raster import GridRaster


def test_edges_and_corners_of_a_tiling_go_to_the_lowest_code() -> None:
    # A 3 × 3 tiling listed in an order unrelated to position: position in the array is the
    # code order.
    order = [4, 0, 8, 2, 6, 1, 7, 3, 5]
    squares = [
        shapely.box(
            106.7 + (k % 3) * 0.01,
            26.5 + (k // 3) * 0.01,
            106.71 + (k % 3) * 0.01,
            26.51 + (k // 3) * 0.01,
        )
        for k in order
    ]
    geoms = np.array(squares, dtype=object)
    shapely.prepare(geoms)
    # Every grid line exactly (the squares' own coordinates) and points between them.
    corners = shapely.get_coordinates(geoms)
    line_x, line_y = np.unique(corners[:, 0]), np.unique(corners[:, 1])
    mesh_x, mesh_y = np.meshgrid(
        np.union1d(line_x, np.linspace(106.695, 106.735, 41)),
        np.union1d(line_y, np.linspace(26.495, 26.535, 41)),
    )
    xs, ys = mesh_x.ravel(), mesh_y.ravel()
    assert (np.isin(xs, line_x) | np.isin(ys, line_y)).sum() > 300
    expected = np.array(
        [
            next((i for i, g in enumerate(geoms) if shapely.intersects_xy(g, x, y)), -1)
            for x, y in zip(xs, ys, strict=True)
        ]
    )
    grid_raster = GridRaster.build(geoms)
    assert (grid_raster.locate(geoms, xs, ys) == expected).all()
    # The centre crossing touches four squares; the first of them in code order answers.
    centre = grid_raster.locate_one(geoms, 106.71, 26.51)
    assert centre == min(i for i, g in enumerate(geoms) if shapely.intersects_xy(g, 106.71, 26.51))


def test_a_diagonal_shared_edge_goes_to_the_lowest_code() -> None:
    # Two triangles sharing the diagonal of a square; the higher code listed first in space.
    upper = shapely.Polygon([(106.7, 26.5), (106.8, 26.6), (106.7, 26.6)])
    lower = shapely.Polygon([(106.7, 26.5), (106.8, 26.5), (106.8, 26.6)])
    for geoms in (np.array([upper, lower], dtype=object), np.array([lower, upper], dtype=object)):
        t = np.linspace(0, 1, 1001)
        xs, ys = 106.7 + 0.1 * t, 26.5 + 0.1 * t
        on_diagonal = shapely.intersects_xy(geoms[0], xs, ys)
        found = GridRaster.build(geoms).locate(geoms, xs, ys)
        assert (found[on_diagonal] == 0).all()
        assert (found[~on_diagonal] == 1).all()
