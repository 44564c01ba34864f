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

# The bucket raster has about this many cells per grid, and never more than MAX_CELLS: fine
# enough that most cells lie wholly inside one grid and need no polygon test at all.
CELLS_PER_GRID = 8
MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class _Buckets:
    """A raster over the grids' extent. Each cell lists the grids whose bounding box touches
    it, in code order (CSR layout: ``members[starts[c]:starts[c + 1]]``), and ``owner[c]`` is
    the grid that answers for every point of the cell when no test is needed (-1 otherwise).
    Lets a million points be located with array arithmetic and no point objects."""

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    starts: np.ndarray
    members: np.ndarray
    owner: np.ndarray

    @classmethod
    def build(cls, geoms: np.ndarray) -> _Buckets:
        bounds = shapely.bounds(geoms)
        x0, y0 = bounds[:, 0].min(), bounds[:, 1].min()
        width = max(bounds[:, 2].max() - x0, 1e-9)
        height = max(bounds[:, 3].max() - y0, 1e-9)
        cells = min(MAX_CELLS, max(1, CELLS_PER_GRID * len(geoms)))
        # Narrow grids need cells narrower than they are to have any interior cells at all.
        typical = np.median(np.minimum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]))
        cell = min(np.sqrt(width * height / cells), max(typical, 1e-9) / 2)
        cell = max(cell, np.sqrt(width * height / MAX_CELLS), width / 4096, height / 4096)
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
        pair_cells, members = flat_cells[order], flat_grids[order]
        starts = np.zeros(nx * ny + 1, dtype=np.int64)
        np.cumsum(np.bincount(flat_cells, minlength=nx * ny), out=starts[1:])
        owner = cls._owners(geoms, x0, y0, cell, nx, ny, pair_cells, members)
        return cls(x0, y0, cell, nx, ny, starts, members, owner)

    @staticmethod
    def _owners(
        geoms: np.ndarray,
        x0: float,
        y0: float,
        cell: float,
        nx: int,
        ny: int,
        pair_cells: np.ndarray,
        members: np.ndarray,
    ) -> np.ndarray:
        """A cell's owner is the lowest-coded grid holding the whole cell in its interior,
        provided no lower-coded grid touches the cell: then every point of the cell belongs
        to it and to no edge. Boxes are padded so that rounding in the point→cell arithmetic
        cannot put a point just outside its cell. Only pairs that can qualify are tested."""
        owner = np.full(nx * ny, -1, dtype=np.int64)
        pad = cell * 1e-6
        left = x0 + (pair_cells % nx) * cell - pad
        bottom = y0 + (pair_cells // nx) * cell - pad
        right, top = left + cell + 2 * pad, bottom + cell + 2 * pad

        def boxes(pairs: np.ndarray) -> np.ndarray:
            return shapely.box(left[pairs], bottom[pairs], right[pairs], top[pairs])

        gb = shapely.bounds(geoms)[members]
        inside_bbox = (
            (gb[:, 0] < left) & (gb[:, 2] > right) & (gb[:, 1] < bottom) & (gb[:, 3] > top)
        )
        candidates = np.flatnonzero(inside_bbox)
        if not len(candidates):
            return owner
        # One candidate per cell, the lowest code: in a seamless tiling only one grid can hold
        # a cell, and when the guess is wrong the cell just keeps its exact test.
        cells = pair_cells[candidates]
        candidates = candidates[np.r_[True, cells[1:] != cells[:-1]]]
        candidates = candidates[
            shapely.contains_properly(geoms[members[candidates]], boxes(candidates))
        ]
        owner[pair_cells[candidates]] = members[candidates]
        tentative = owner[pair_cells]
        lower = np.flatnonzero((tentative >= 0) & (members < tentative))
        touching = lower[shapely.intersects(geoms[members[lower]], boxes(lower))]
        owner[pair_cells[touching]] = -1
        return owner

    def locate(self, geoms: np.ndarray, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Tree index of the lowest-coded grid containing each point, or -1."""
        result = np.full(len(lngs), -1, dtype=np.int64)
        ix = np.floor((lngs - self.x0) / self.cell)
        iy = np.floor((lats - self.y0) / self.cell)
        points = np.flatnonzero((ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny))
        cell = iy[points].astype(np.int64) * self.nx + ix[points].astype(np.int64)
        owned = self.owner[cell]
        direct = owned >= 0
        result[points[direct]] = owned[direct]
        points, cell = points[~direct], cell[~direct]

        first, counts = self.starts[cell], self.starts[cell + 1] - self.starts[cell]
        point_idx = np.repeat(points, counts)
        offsets = np.arange(len(point_idx)) - np.repeat(np.cumsum(counts) - counts, counts)
        tree_idx = self.members[np.repeat(first, counts) + offsets]
        # intersects, not contains: a point on a boundary belongs to the grid.
        hit = shapely.intersects_xy(geoms[tree_idx], lngs[point_idx], lats[point_idx])
        point_idx, tree_idx = point_idx[hit], tree_idx[hit]
        if len(point_idx):
            # Candidates come sorted by (point, tree index) and the tree is in code order, so
            # the first hit per point is the lowest code: shared edges resolve the same way
            # every time.
            lowest = np.ones(len(point_idx), dtype=bool)
            lowest[1:] = point_idx[1:] != point_idx[:-1]
            result[point_idx[lowest]] = tree_idx[lowest]
        return result


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
        if self.buckets is None or len(lngs) == 0:
            return np.full(len(lngs), -1, dtype=np.int64)
        found = self.buckets.locate(self.geoms, lngs, lats)
        return np.where(found >= 0, self.ids[np.maximum(found, 0)], -1)


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
