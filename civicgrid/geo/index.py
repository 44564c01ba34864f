"""Point → grid lookup through an in-process spatial index of the current grids.

The index (a ``GridRaster`` for locating, an STRtree for nearest-grid questions) is rebuilt
when ``GridIndexVersion`` changes, so every web and worker process notices grid adjustments
without a restart. The raster locates a million points with array arithmetic (the STRtree
would first need a million point objects) and asks shapely's exact ``intersects_xy`` only
near grid corners (see civicgrid/geo/raster.py). Points on a shared edge belong to every
polygon they touch; the lowest grid code wins, so the answer never depends on order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import TextField
from django.db.models.functions import Cast
from shapely import STRtree

from civicgrid.geo.models import Grid, GridIndexVersion
from civicgrid.geo.raster import GridRaster


@dataclass(frozen=True)
class GridIndex:
    version: int
    tree: STRtree  # for nearest-grid questions
    codes: np.ndarray  # grid code per tree position, sorted ascending
    ids: np.ndarray
    geoms: np.ndarray
    raster: GridRaster | None
    texts: dict[int, str]  # each grid's GeoJSON as read, so a rebuild parses only changes

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Grid id for each point, or -1 where a point is outside every grid."""
        lngs, lats = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
        if self.raster is None or len(lngs) == 0:
            return np.full(len(lngs), -1, dtype=np.int64)
        if len(lngs) == 1:
            one = self.raster.locate_one(self.geoms, float(lngs[0]), float(lats[0]))
            return np.array([self.ids[one] if one >= 0 else -1], dtype=np.int64)
        found = self.raster.locate(self.geoms, lngs, lats)
        return np.where(found >= 0, self.ids[np.maximum(found, 0)], -1)


# Above this share of grids changed at once, the raster is built anew rather than patched.
PATCH_LIMIT = 0.05

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


def build_index(version: int, previous: GridIndex | None = None) -> GridIndex:
    """The index of the current grids. Geometries come as GeoJSON text, parsed in one
    vectorised call; a grid whose text is unchanged since ``previous`` keeps its parsed shape."""
    rows = list(
        Grid.objects.current()
        .order_by("code")
        .values_list("id", "code", Cast("geometry", TextField()))
    )
    ids = np.array([pk for pk, _, _ in rows], dtype=np.int64)
    texts = {pk: text for pk, _, text in rows}
    geoms = np.empty(len(rows), dtype=object)
    kept: dict[int, int] = {}
    if previous is not None:
        position = dict(zip(previous.ids.tolist(), range(len(previous.ids)), strict=True))
        old_texts = previous.texts
        kept = {
            i: position[pk] for i, (pk, _, text) in enumerate(rows) if old_texts.get(pk) == text
        }
    if kept:
        geoms[list(kept)] = previous.geoms[list(kept.values())]  # type: ignore[union-attr]
    fresh = [i for i in range(len(rows)) if i not in kept]
    if fresh:
        geoms[fresh] = shapely.from_geojson(np.array([rows[i][2] for i in fresh], dtype=object))
    shapely.prepare(geoms)
    raster = None
    if previous is not None and previous.raster is not None and len(geoms):
        raster = _patched(previous, geoms, kept, fresh)
    if raster is None and len(geoms):
        raster = GridRaster.build(geoms)
    return GridIndex(
        version=version,
        tree=STRtree(geoms),
        geoms=geoms,
        raster=raster,
        codes=np.array([code for _, code, _ in rows], dtype=object),
        ids=ids,
        texts=texts,
    )


def _patched(
    previous: GridIndex, geoms: np.ndarray, kept: dict[int, int], fresh: list[int]
) -> GridRaster | None:
    """The previous raster brought up to date around the grids that changed, when they are
    few (a split, a merge, an edit); None when a full build is due."""
    assert previous.raster is not None
    remap = np.full(len(previous.ids), -1, dtype=np.int64)
    remap[list(kept.values())] = list(kept)
    gone = np.flatnonzero(remap < 0)
    if not len(gone) and not fresh and (remap == np.arange(len(remap))).all():
        return previous.raster
    if len(gone) + len(fresh) > max(PATCH_LIMIT * len(geoms), 1):
        return None
    changed = np.concatenate([shapely.bounds(previous.geoms[gone]), shapely.bounds(geoms[fresh])])
    return previous.raster.patch(geoms, remap, changed)


def grid_index() -> GridIndex:
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build_index(version, previous=_cached)
        return _cached


def reset_index() -> None:
    global _cached
    with _lock:
        _cached = None
