"""A raster over the grids for point → grid lookups with array arithmetic.

The city's extent is cut into square cells, about ``CELLS_PER_GRID`` per grid. For each cell the
raster keeps a short list of *steps*, the grids that reach into the cell in code order, each
with the cheapest test that decides whether a point of the cell lies in that grid:

- ``FULL``: the grid holds the whole cell in its interior (no edge of it touches the cell);
- ``HALF``: exactly one straight edge of the grid crosses the cell, so inside the cell the grid
  is one side of that line: a sign test, done in numpy for all points at once;
- ``EXACT``: anything else (a corner of the grid, two of its edges, an invalid polygon): shapely's
  ``intersects_xy`` on the prepared polygon, called once per step for all points waiting on it.

A point's answer is the first step that holds it, so the lowest-coded grid wins on a shared
edge, exactly as a scan of the grids in code order would answer. Steps after a ``FULL`` are
never needed and are dropped; a cell whose first step is ``FULL`` answers without any test.
A point closer than ``TIE`` to a ``HALF`` line gets the exact test instead of the sign test, so
floating-point rounding never changes an answer.

Everything is built from the polygons' vertices with numpy (edges → the cells they touch; rows
of cell centres → interior spans by ray crossing), without a shapely call per cell. After a few
grids change, ``patch`` rebuilds only the cells around their old and new shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

CELLS_PER_GRID = 32
MAX_CELLS = 4_000_000
# Cells are tested padded by this fraction of a cell, so a point that rounding puts into a
# neighbouring cell is still answered correctly.
PAD = 1e-6
# Degrees (about a centimetre): nearer than this to a HALF step's line, the exact test decides.
TIE = 1e-10

FULL, HALF, EXACT = 0, 1, 2


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts[i]`` items per i: the owner i of each item and its offset 0..counts[i]-1."""
    owner = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, offset


@dataclass(frozen=True)
class GridRaster:
    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    direct: np.ndarray  # per cell: the grid answering for all of it, -1 none, -2 walk the steps
    starts: np.ndarray  # per cell, CSR into the steps: starts[c]:starts[c + 1]
    kind: np.ndarray  # per step: FULL, HALF or EXACT
    grid: np.ndarray  # per step: position of the grid in the index (code order)
    ax: np.ndarray  # per HALF step: a point of the line and its unit direction, pointing so
    ay: np.ndarray  # that the grid is on the left: inside where uy·(x-ax) < ux·(y-ay)
    ux: np.ndarray
    uy: np.ndarray

    @property
    def cells(self) -> int:
        return self.nx * self.ny

    @classmethod
    def build(cls, geoms: np.ndarray, cells_per_grid: int = CELLS_PER_GRID) -> GridRaster:
        n = len(geoms)
        bounds = shapely.bounds(geoms)
        x0, y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        width = max(float(bounds[:, 2].max()) - x0, 1e-9)
        height = max(float(bounds[:, 3].max()) - y0, 1e-9)
        # Narrow grids need cells narrower than they are to have any interior cells at all.
        typical = float(
            np.median(np.minimum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]))
        )
        target = min(MAX_CELLS, max(1, cells_per_grid * n))
        cell = min(math.sqrt(width * height / target), max(typical, 1e-9) / 4)
        cell = max(cell, math.sqrt(width * height / MAX_CELLS), width / 8192, height / 8192)
        nx, ny = int(width // cell) + 1, int(height // cell) + 1
        return cls._fill(geoms, x0, y0, cell, nx, ny, (0, nx, 0, ny))

    @classmethod
    def _fill(
        cls,
        geoms: np.ndarray,
        x0: float,
        y0: float,
        cell: float,
        nx: int,
        ny: int,
        window: tuple[int, int, int, int],
    ) -> GridRaster:
        """The raster of ``geoms`` on the given lattice, with steps only in the cells of
        ``window`` (columns and rows, end exclusive); the others are left empty."""
        n = len(geoms)
        ncells = nx * ny
        seg_grid, ax, ay, bx, by, left_inside = _segments(geoms)
        valid = shapely.is_valid(geoms)
        # Work in cell units: cell (i, j) is the square [i, i+1] × [j, j+1].
        sx, sy = (ax - x0) / cell, (ay - y0) / cell
        ex, ey = (bx - x0) / cell, (by - y0) / cell

        # Pairs (grid, cell) where an edge of the grid touches the cell, in cell-major order
        # with codes ascending: the order in which a cell's steps are tried.
        touch_seg, touch_cell = _cells_touched(sx, sy, ex, ey, nx, window)
        touch_key = touch_cell * n + seg_grid[touch_seg]
        order = np.argsort(touch_key)
        touch_key, touch_seg = touch_key[order], touch_seg[order]
        # Cut to the pairs there are: a window no edge touches has none (a patch far from
        # the changed grid's edges), and the leading True would index an empty array.
        first = np.flatnonzero(np.r_[True, touch_key[1:] != touch_key[:-1]])[: len(touch_key)]
        edge_key = touch_key[first]
        edges_in_cell = np.diff(np.r_[first, len(touch_key)])
        edge_seg = touch_seg[first]
        length = np.hypot(bx - ax, by - ay)
        # One edge and no other: it crosses the whole padded cell (a ring is closed, so an edge
        # ending inside the cell brings the next one in), and the grid is one side of it.
        half = (edges_in_cell == 1) & valid[edge_key % n] & (length[edge_seg] > 0)
        edge_cell = np.zeros(ncells, dtype=bool)
        edge_cell[edge_key // n] = True

        # Cells wholly inside a grid (no edge of it touches them, their centre is inside it).
        inner_grid, inner_cell = _interior_pairs(seg_grid, sx, sy, ex, ey, nx, window)
        # ... dropping the pairs where an edge of the same grid touches the cell: those keep
        # their edge step. A cell has few edge steps; compare with each in turn.
        edge_cell_of, edge_grid_of = np.divmod(edge_key, n)
        edge_start = np.zeros(ncells + 1, dtype=np.int64)
        np.cumsum(np.bincount(edge_cell_of, minlength=ncells), out=edge_start[1:])
        check = np.flatnonzero(edge_cell[inner_cell])
        at, stop = edge_start[inner_cell[check]], edge_start[inner_cell[check] + 1]
        own_edge = np.zeros(len(inner_cell), dtype=bool)
        while len(check):
            own_edge[check] |= edge_grid_of[at] == inner_grid[check]
            at = at + 1
            more = (at < stop) & ~own_edge[check]
            check, at, stop = check[more], at[more], stop[more]
        inner_grid, inner_cell = inner_grid[~own_edge], inner_cell[~own_edge]
        inner_key = inner_cell * n + inner_grid
        # A cell that no edge touches answers by itself: the lowest code among the grids it
        # lies in (several only where grids overlap). A cell inside an invalid polygon still
        # gets the exact test (ray crossing and GEOS may disagree about a bad ring), so its
        # interior pairs become steps, like those of cells with edges.
        stepped = edge_cell
        stepped[inner_cell[~valid[inner_grid]]] = True
        plain = ~stepped[inner_cell]
        direct = np.full(ncells, -1, dtype=np.int64)
        cells_p, grids_p = inner_cell[plain], inner_grid[plain]
        direct[cells_p] = grids_p
        many = np.bincount(cells_p, minlength=ncells)[cells_p] > 1
        if many.any():
            direct[cells_p[many]] = n
            np.minimum.at(direct, cells_p[many], grids_p[many])
        extra_key, extra_grid = inner_key[~plain], inner_grid[~plain]

        step_key = np.concatenate([edge_key, extra_key])
        kind = np.concatenate(
            [np.where(half, HALF, EXACT), np.where(valid[extra_grid], FULL, EXACT)]
        ).astype(np.int8)
        seg = np.concatenate([np.where(half, edge_seg, -1), np.full(len(extra_key), -1)])
        if len(extra_key):
            order = np.argsort(step_key, kind="stable")
            step_key, kind, seg = step_key[order], kind[order], seg[order]
        step_cell, pair_grid = np.divmod(step_key, n)
        if len(extra_key):
            # Steps after a FULL one are never reached.
            cell_start = np.zeros(ncells + 1, dtype=np.int64)
            np.cumsum(np.bincount(step_cell, minlength=ncells), out=cell_start[1:])
            fulls = np.cumsum(kind == FULL)
            before = fulls - (kind == FULL) - np.r_[0, fulls][cell_start[step_cell]]
            keep = before == 0
            step_cell, pair_grid, kind, seg = (
                step_cell[keep],
                pair_grid[keep],
                kind[keep],
                seg[keep],
            )
        starts = np.zeros(ncells + 1, dtype=np.int64)
        np.cumsum(np.bincount(step_cell, minlength=ncells), out=starts[1:])

        walk = np.flatnonzero(starts[1:] > starts[:-1])
        lead = starts[walk]
        direct[walk] = np.where(kind[lead] == FULL, pair_grid[lead], -2)

        on = np.maximum(seg, 0)
        sign = np.where(left_inside[on], 1.0, -1.0) / np.where(length[on] > 0, length[on], 1.0)
        return cls(
            x0=x0,
            y0=y0,
            cell=cell,
            nx=nx,
            ny=ny,
            direct=direct,
            starts=starts,
            kind=kind,
            grid=pair_grid.astype(np.int64),
            ax=ax[on],
            ay=ay[on],
            ux=(bx[on] - ax[on]) * sign,
            uy=(by[on] - ay[on]) * sign,
        )

    def patch(self, geoms: np.ndarray, remap: np.ndarray, changed: np.ndarray) -> GridRaster | None:
        """The raster after a few grids changed, rebuilding only the cells around them.

        ``geoms`` are the new grids in code order, ``remap[p]`` the new position of the grid
        at old position p (-1 for a grid gone or reshaped), ``changed`` the bounds (rows of
        minx, miny, maxx, maxy) of the old and the new shapes of the grids that changed.
        Cells outside the window keep their steps, renumbered; None when a changed grid
        reaches beyond the raster, so that a full build must choose a new extent."""
        lo_x, lo_y = (
            (changed[:, 0].min() - self.x0) / self.cell,
            (changed[:, 1].min() - self.y0) / self.cell,
        )
        hi_x, hi_y = (
            (changed[:, 2].max() - self.x0) / self.cell,
            (changed[:, 3].max() - self.y0) / self.cell,
        )
        if not (lo_x >= 0 and lo_y >= 0 and hi_x < self.nx and hi_y < self.ny):
            return None  # also for the NaN bounds of an empty shape
        # A cell of margin: a changed grid's padded edge cells reach a hair into the next.
        wx0, wy0 = max(int(lo_x) - 1, 0), max(int(lo_y) - 1, 0)
        wx1, wy1 = min(int(hi_x) + 2, self.nx), min(int(hi_y) + 2, self.ny)
        west, south = self.x0 + (wx0 - 1) * self.cell, self.y0 + (wy0 - 1) * self.cell
        east, north = self.x0 + (wx1 + 1) * self.cell, self.y0 + (wy1 + 1) * self.cell
        bounds = shapely.bounds(geoms)
        near = np.flatnonzero(
            (bounds[:, 0] <= east)
            & (bounds[:, 2] >= west)
            & (bounds[:, 1] <= north)
            & (bounds[:, 3] >= south)
        )
        part = GridRaster._fill(
            geoms[near], self.x0, self.y0, self.cell, self.nx, self.ny, (wx0, wx1, wy0, wy1)
        )
        window = np.zeros((self.ny, self.nx), dtype=bool)
        window[wy0:wy1, wx0:wx1] = True
        in_window = window.ravel()
        old_cell = np.repeat(np.arange(self.cells), np.diff(self.starts))
        keep = ~in_window[old_cell]
        if (remap[self.grid[keep]] < 0).any() or (
            remap[self.direct[~in_window & (self.direct >= 0)]] < 0
        ).any():
            return None  # a changed grid outside the window: never expected, but be safe

        def renumber(positions: np.ndarray, table: np.ndarray) -> np.ndarray:
            return np.where(positions >= 0, table[np.maximum(positions, 0)], positions)

        direct = np.where(in_window, renumber(part.direct, near), renumber(self.direct, remap))
        new_cell = np.repeat(np.arange(self.cells), np.diff(part.starts))
        step_cell = np.concatenate([old_cell[keep], new_cell])
        order = np.argsort(step_cell, kind="stable")

        def merged(old: np.ndarray, new: np.ndarray) -> np.ndarray:
            return np.concatenate([old[keep], new])[order]

        starts = np.zeros(self.cells + 1, dtype=np.int64)
        np.cumsum(np.bincount(step_cell, minlength=self.cells), out=starts[1:])
        return GridRaster(
            x0=self.x0,
            y0=self.y0,
            cell=self.cell,
            nx=self.nx,
            ny=self.ny,
            direct=direct,
            starts=starts,
            kind=merged(self.kind, part.kind),
            grid=merged(remap[self.grid], near[part.grid]),
            ax=merged(self.ax, part.ax),
            ay=merged(self.ay, part.ay),
            ux=merged(self.ux, part.ux),
            uy=merged(self.uy, part.uy),
        )

    def locate(
        self,
        geoms: np.ndarray,
        xs: np.ndarray,
        ys: np.ndarray,
        counts: dict[str, int] | None = None,
    ) -> np.ndarray:
        """Index position of the lowest-coded grid containing each point, or -1.
        ``counts`` (for the benchmark) receives how many points needed which kind of test."""
        result = np.full(len(xs), -1, dtype=np.int64)
        ix = np.floor((xs - self.x0) / self.cell)
        iy = np.floor((ys - self.y0) / self.cell)
        pts = np.flatnonzero((ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny))
        cell = iy[pts].astype(np.int64) * self.nx + ix[pts].astype(np.int64)
        answer = self.direct[cell]
        walk = answer == -2
        result[pts[~walk]] = answer[~walk]
        pts, cell = pts[walk], cell[walk]
        pos, end = self.starts[cell], self.starts[cell + 1]
        exact_points = np.zeros(len(xs), dtype=bool) if counts is not None else None
        if counts is not None:
            counts["direct"] = counts.get("direct", 0) + len(xs) - len(pts)
        while len(pts):
            kind, grid = self.kind[pos], self.grid[pos]
            hit = kind == FULL
            exact = kind == EXACT
            half = np.flatnonzero(kind == HALF)
            if len(half):
                at, p = pos[half], pts[half]
                side = self.ux[at] * (ys[p] - self.ay[at]) - self.uy[at] * (xs[p] - self.ax[at])
                hit[half] = side > TIE
                exact[half] = np.abs(side) <= TIE
            test = np.flatnonzero(exact)
            if len(test):
                p = pts[test]
                hit[test] = shapely.intersects_xy(geoms[grid[test]], xs[p], ys[p])
                if exact_points is not None:
                    exact_points[p] = True
            result[pts[hit]] = grid[hit]
            pos = pos + 1
            more = ~hit & (pos < end)
            pts, pos, end = pts[more], pos[more], end[more]
        if counts is not None and exact_points is not None:
            counts["exact"] = counts.get("exact", 0) + int(exact_points.sum())
        return result

    def locate_one(self, geoms: np.ndarray, x: float, y: float) -> int:
        """``locate`` for a single point in plain Python: numpy's per-call overhead would be
        most of the time of a one-point lookup."""
        fx, fy = (x - self.x0) / self.cell, (y - self.y0) / self.cell
        if not (0 <= fx < self.nx and 0 <= fy < self.ny):  # also False for NaN
            return -1
        cell = int(fy) * self.nx + int(fx)
        answer = int(self.direct[cell])
        if answer != -2:
            return answer
        for at in range(int(self.starts[cell]), int(self.starts[cell + 1])):
            kind, grid = self.kind[at], int(self.grid[at])
            if kind == FULL:
                return grid
            if kind == HALF:
                side = float(self.ux[at] * (y - self.ay[at]) - self.uy[at] * (x - self.ax[at]))
                if side > TIE:
                    return grid
                if side < -TIE:
                    continue
            if shapely.intersects_xy(geoms[grid], x, y):
                return grid
        return -1

    def describe(self, geoms: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> dict[str, float]:
        counts: dict[str, int] = {}
        self.locate(geoms, xs, ys, counts)
        n = max(len(xs), 1)
        return {
            "cells": self.cells,
            "steps": len(self.kind),
            "direct": counts.get("direct", 0) / n,
            "exact": counts.get("exact", 0) / n,
            "half": 1 - (counts.get("direct", 0) + counts.get("exact", 0)) / n,
        }


def _segments(
    geoms: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every edge of every ring: its grid, end points, and whether the grid lies on its left
    (a counter-clockwise shell, or a clockwise hole)."""
    parts, part_grid = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    shell = np.r_[True, ring_part[1:] != ring_part[:-1]] if len(rings) else np.zeros(0, bool)
    ring_left = shell == shapely.is_ccw(rings)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    seg_ring = ring_of[:-1][same]
    a, b = coords[:-1][same], coords[1:][same]
    return (
        part_grid[ring_part[seg_ring]],
        a[:, 0],
        a[:, 1],
        b[:, 0],
        b[:, 1],
        ring_left[seg_ring],
    )


def _cells_touched(
    sx: np.ndarray,
    sy: np.ndarray,
    ex: np.ndarray,
    ey: np.ndarray,
    nx: int,
    window: tuple[int, int, int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """(segment, cell) for every padded cell a segment touches, in cell units. Candidates are
    enumerated column by column (a long diagonal edge does not enumerate its whole bounding
    box), then kept by the separating-axis test: a segment meets a box when their bounding
    boxes overlap and the box's corners are not all strictly on one side of its line."""
    lo_x, hi_x = np.minimum(sx, ex) - PAD, np.maximum(sx, ex) + PAD
    lo_y, hi_y = np.minimum(sy, ey) - PAD, np.maximum(sy, ey) + PAD
    wx0, wx1, wy0, wy1 = window
    c0 = np.clip(np.floor(lo_x), wx0, wx1 - 1).astype(np.int64)
    c1 = np.clip(np.floor(hi_x), wx0, wx1 - 1).astype(np.int64)
    # Edges wholly outside the window's columns give nothing (clipping made c0 == c1).
    span = np.where((hi_x < wx0) | (lo_x >= wx1), 0, c1 - c0 + 1)
    seg, off = _expand(span)
    col = c0[seg] + off
    # The segment's y-range over this column, widened a little against rounding.
    dx, dy = ex - sx, ey - sy
    # Nearly vertical: the y-range per column would suffer from rounding; take the whole.
    steep = np.abs(dx) < 1e-4 * np.abs(dy)
    slope = np.where(steep, 0.0, dy / np.where(steep, 1.0, dx))
    xa = np.maximum(col - PAD, lo_x[seg])
    xb = np.minimum(col + 1 + PAD, hi_x[seg])
    ya = sy[seg] + (xa - sx[seg]) * slope[seg]
    yb = sy[seg] + (xb - sx[seg]) * slope[seg]
    margin = 4 * PAD
    y_lo = np.where(steep[seg], lo_y[seg], np.maximum(np.minimum(ya, yb) - margin, lo_y[seg]))
    y_hi = np.where(steep[seg], hi_y[seg], np.minimum(np.maximum(ya, yb) + margin, hi_y[seg]))
    r0 = np.clip(np.floor(y_lo), wy0, wy1 - 1).astype(np.int64)
    r1 = np.clip(np.floor(y_hi), wy0, wy1 - 1).astype(np.int64)
    rows = np.where((y_hi < wy0) | (y_lo >= wy1), 0, r1 - r0 + 1)
    pick, off = _expand(rows)
    seg, col, row = seg[pick], col[pick], r0[pick] + off
    # Exact bounding-box overlap (comparisons only), then the separating axis along the
    # segment's normal: the box's centre farther from the line than its half-extent projected
    # on the normal. An end point inside the box always counts, whatever rounding says, so
    # that a ring's corner inside a cell is never missed.
    left, right = col - PAD, col + 1 + PAD
    bottom, top = row - PAD, row + 1 + PAD
    ox, oy, fx, fy = sx[seg], sy[seg], ex[seg], ey[seg]
    overlap = (
        (np.minimum(ox, fx) <= right)
        & (np.maximum(ox, fx) >= left)
        & (np.minimum(oy, fy) <= top)
        & (np.maximum(oy, fy) >= bottom)
    )
    ddx, ddy = dx[seg], dy[seg]
    centre = ddx * (row + 0.5 - oy) - ddy * (col + 0.5 - ox)
    crossed = np.abs(centre) <= (0.5 + PAD) * (np.abs(ddx) + np.abs(ddy))
    inside = ((ox >= left) & (ox <= right) & (oy >= bottom) & (oy <= top)) | (
        (fx >= left) & (fx <= right) & (fy >= bottom) & (fy <= top)
    )
    meets = overlap & (crossed | inside)
    return seg[meets], row[meets] * nx + col[meets]


def _interior_pairs(
    seg_grid: np.ndarray,
    sx: np.ndarray,
    sy: np.ndarray,
    ex: np.ndarray,
    ey: np.ndarray,
    nx: int,
    window: tuple[int, int, int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """(grid, cell) for every cell of the window whose centre lies inside the grid, by ray crossing along each
    row of centres: an edge crosses row j when its y-span holds j + ½ (half-open, so a vertex
    on the row counts once); sorted by x within (grid, row), crossings pair up into spans."""
    wx0, wx1, wy0, wy1 = window
    ny = wy1  # rows are numbered from 0 whatever the window
    lo, hi = np.minimum(sy, ey), np.maximum(sy, ey)
    r0 = np.clip(np.ceil(lo - 0.5), wy0, wy1).astype(np.int64)
    r1 = np.clip(np.ceil(hi - 0.5), wy0, wy1).astype(np.int64)
    seg, off = _expand(np.maximum(r1 - r0, 0))
    row = r0[seg] + off
    yc = row + 0.5
    x = sx[seg] + (yc - sy[seg]) * (ex[seg] - sx[seg]) / (ey[seg] - sy[seg])
    group = seg_grid[seg] * ny + row
    # Edges come grid by grid, so this sort is cheap; most rows of a grid cross it twice, and
    # only rows crossing it more often need their crossings ordered by x.
    order = np.argsort(group, kind="stable")
    group, x = group[order], x[order]
    start = np.r_[True, group[1:] != group[:-1]]
    first = np.flatnonzero(start)
    sizes = np.diff(np.r_[first, len(group)])
    many = np.flatnonzero(np.repeat(sizes > 2, sizes))
    if len(many):
        x[many] = x[many][np.lexsort((x[many], group[many]))]
    rank = np.arange(len(group)) - np.repeat(first, sizes)
    enter = np.flatnonzero((rank % 2 == 0)[:-1] & (group[1:] == group[:-1]))
    span_group = group[enter]
    x_in = np.minimum(x[enter], x[enter + 1])
    x_out = np.maximum(x[enter], x[enter + 1])
    # Crossings count along the whole row, so parity holds; only the spans are clipped.
    c0 = np.clip(np.ceil(x_in - 0.5), wx0, wx1).astype(np.int64)
    c1 = np.clip(np.floor(x_out - 0.5) + 1, wx0, wx1).astype(np.int64)
    span, off = _expand(np.maximum(c1 - c0, 0))
    grid, row = np.divmod(span_group[span], ny)
    return grid, row * nx + c0[span] + off
