"""Point → grid lookup through an in-process spatial index of the current grids.

The index (an STRtree plus a bucket raster of bounding boxes) is rebuilt when
``GridIndexVersion`` changes, so every web and worker process notices grid adjustments
without a restart. Candidates come from the raster, which locates a million points with
array arithmetic (the STRtree would first need a million point objects); the exact test is
shapely's vectorised ``intersects_xy`` on prepared polygons. Points on a shared edge belong
to every polygon they touch; the lowest grid code wins, so the answer never depends on order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree

from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid, GridIndexVersion

# The bucket raster has about this many cells per grid, and never more than MAX_CELLS.
CELLS_PER_GRID = 2
MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class _Buckets:
    """A coarse raster over the grids' extent; each cell lists the grids whose bounding box
    touches it, in code order (CSR layout: ``members[starts[c]:starts[c + 1]]``). Lets a
    million points be located with array arithmetic and no point objects."""

    x0: float
    y0: float
    cell_w: float
    cell_h: float
    nx: int
    ny: int
    starts: np.ndarray
    members: np.ndarray

    @classmethod
    def build(cls, geoms: np.ndarray) -> _Buckets:
        bounds = shapely.bounds(geoms)
        x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
        width = max(bounds[:, 2].max() - x0, 1e-9)
        height = max(bounds[:, 3].max() - y0, 1e-9)
        cells = min(MAX_CELLS, max(1, CELLS_PER_GRID * len(geoms)))
        cell = max(np.sqrt(width * height / cells), width / 4096, height / 4096)
        nx, ny = int(width // cell) + 1, int(height // cell) + 1
        ix0 = np.floor((bounds[:, 0] - x0) / cell).astype(np.int64)
        ix1 = np.floor((bounds[:, 2] - x0) / cell).astype(np.int64)
        iy0 = np.floor((bounds[:, 1] - y0) / cell).astype(np.int64)
        iy1 = np.floor((bounds[:, 3] - y0) / cell).astype(np.int64)
        cell_ids, grid_ids = [], []
        for g in range(len(geoms)):
            xs = np.arange(ix0[g], ix1[g] + 1)
            ys = np.arange(iy0[g], iy1[g] + 1)
            cell_ids.append((ys[:, None] * nx + xs[None, :]).ravel())
            grid_ids.append(np.full(len(xs) * len(ys), g, dtype=np.int64))
        flat_cells, flat_grids = np.concatenate(cell_ids), np.concatenate(grid_ids)
        order = np.lexsort((flat_grids, flat_cells))
        starts = np.zeros(nx * ny + 1, dtype=np.int64)
        np.cumsum(np.bincount(flat_cells, minlength=nx * ny), out=starts[1:])
        return cls(x0, y0, cell, cell, nx, ny, starts, flat_grids[order])

    def candidates(self, lngs: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, tree index) pairs to test, sorted by point then tree index."""
        ix = np.floor((lngs - self.x0) / self.cell_w)
        iy = np.floor((lats - self.y0) / self.cell_h)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        points = np.flatnonzero(inside)
        cell = iy[points].astype(np.int64) * self.nx + ix[points].astype(np.int64)
        first, counts = self.starts[cell], self.starts[cell + 1] - self.starts[cell]
        point_idx = np.repeat(points, counts)
        offsets = np.arange(len(point_idx)) - np.repeat(np.cumsum(counts) - counts, counts)
        return point_idx, self.members[np.repeat(first, counts) + offsets]


@dataclass(frozen=True)
class GridIndex:
    version: int
    tree: STRtree  # for nearest-grid questions
    codes: np.ndarray  # grid code per tree position, sorted ascending
    ids: np.ndarray
    geoms: np.ndarray
    buckets: _Buckets | None

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Grid id for each point, or -1 where a point is outside every grid."""
        lngs, lats = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
        result = np.full(len(lngs), -1, dtype=np.int64)
        if self.buckets is None or len(lngs) == 0:
            return result
        point_idx, tree_idx = self.buckets.candidates(lngs, lats)
        # intersects, not contains: a point on a boundary belongs to the grid.
        hit = shapely.intersects_xy(self.geoms[tree_idx], lngs[point_idx], lats[point_idx])
        point_idx, tree_idx = point_idx[hit], tree_idx[hit]
        if len(point_idx):
            # Candidates come sorted by (point, tree index) and the tree is in code order, so
            # the first hit per point is the lowest code: shared edges resolve the same way
            # every time.
            first = np.ones(len(point_idx), dtype=bool)
            first[1:] = point_idx[1:] != point_idx[:-1]
            result[point_idx[first]] = self.ids[tree_idx[first]]
        return result


_lock = threading.Lock()
_cached: GridIndex | None = None


def current_version() -> int:
    row = GridIndexVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


def bump_version() -> None:
    """Call inside the transaction that changes grids."""
    from django.db.models import F

    if not GridIndexVersion.objects.filter(pk=1).update(version=F("version") + 1):
        GridIndexVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def build_index(version: int) -> GridIndex:
    rows = list(Grid.objects.current().order_by("code").values_list("id", "code", "geometry"))
    geoms = np.array([to_shape(geometry) for _, _, geometry in rows], dtype=object)
    shapely.prepare(geoms)
    return GridIndex(
        version=version,
        tree=STRtree(geoms),
        geoms=geoms,
        buckets=_Buckets.build(geoms) if len(geoms) else None,
        codes=np.array([code for _, code, _ in rows], dtype=object),
        ids=np.array([pk for pk, _, _ in rows], dtype=np.int64),
    )


def grid_index() -> GridIndex:
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build_index(version)
        return _cached


def reset_index() -> None:
    global _cached
    with _lock:
        _cached = None
