"""Point → grid lookup through an in-process STRtree.

The tree holds the current grids only and is rebuilt when ``GridIndexVersion`` changes, so
every web and worker process notices grid adjustments without a restart. Points on a shared
edge belong to every polygon they touch; the lowest grid code wins, so the answer is the
same whichever order the tree returns candidates in.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree

from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid, GridIndexVersion


@dataclass(frozen=True)
class GridIndex:
    version: int
    tree: STRtree
    codes: np.ndarray  # grid code per tree position, sorted ascending
    ids: np.ndarray

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Grid id for each point, or -1 where a point is outside every grid."""
        result = np.full(len(lngs), -1, dtype=np.int64)
        if len(self.ids) == 0 or len(lngs) == 0:
            return result
        points = shapely.points(np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float))
        point_idx, tree_idx = self.tree.query(points, predicate="intersects")
        if len(point_idx):
            # Trees are built in code order, so the smallest tree index is the lowest code:
            # take the first hit per point after sorting by (point, tree index).
            order = np.lexsort((tree_idx, point_idx))
            point_idx, tree_idx = point_idx[order], tree_idx[order]
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
    geoms = [to_shape(geometry) for _, _, geometry in rows]
    shapely.prepare(geoms)
    return GridIndex(
        version=version,
        tree=STRtree(geoms),
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
