"""电子监察: what makes a patrol's track suspicious, each flag with its reason in figures
(docs/architecture.md "Field work").

``flag_patrol`` recomputes the track flags from the stored points (JUMP, STATIONARY,
FAR_OUTSIDE, FEW_POINTS) and replaces them; it runs when a patrol ends and again when late
points arrive. The upload flags (DUPLICATE: the same instant re-sent at another place;
BACKDATED: points received more than a day after they were taken) describe how the points
came in, which the points themselves no longer show, so ``services.track_points_add`` writes
them when it sees them and ``flag_patrol`` keeps them.

Thresholds come from the patrol's ``PatrolStandard`` (rules as data). To keep a noisy phone
from crying wolf, a jump's distance is reduced by the two fixes' reported accuracies, and at
most ``MAX_PER_KIND`` flags of one kind are kept per patrol (the count is in the last one).
"""

from __future__ import annotations

import itertools
from datetime import datetime

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.fieldwork.choices import FlagKind
from civicgrid.fieldwork.models import Patrol, PatrolFlag, PatrolStandard
from civicgrid.fieldwork.services import (
    GEOD,
    grid_shape,
    local_projection,
    project,
    project_xy,
    standard_for,
)

UPLOAD_KINDS = frozenset({FlagKind.DUPLICATE, FlagKind.BACKDATED})
STATIONARY_RADIUS_M = 20.0
MAX_PER_KIND = 5
CHUNK = 64


def _hm(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M")


def flag_patrol(patrol: Patrol) -> list[PatrolFlag]:
    """Replace the patrol's track flags; return all its flags (track and upload) by time."""
    standard = standard_for(patrol.grid_code)
    rows = list(patrol.points.order_by("at").values_list("at", "lat", "lng", "accuracy"))
    found: list[PatrolFlag] = []
    found += _jumps(patrol, rows, standard)
    found += _stationary(patrol, rows, standard)
    found += _far_outside(patrol, rows, standard)
    if patrol.ended_at is not None and len(rows) < standard.min_points:
        found.append(
            _flag(
                patrol,
                FlagKind.FEW_POINTS,
                patrol.ended_at,
                _("全程仅 %(n)d 个轨迹点,少于 %(m)d 个")
                % {"n": len(rows), "m": standard.min_points},
            )
        )
    # Replaced in one transaction: a reader never sees the patrol without its flags.
    with transaction.atomic():
        patrol.flags.exclude(kind__in=UPLOAD_KINDS).delete()
        PatrolFlag.objects.bulk_create(found)
    return sorted(patrol.flags.all(), key=lambda f: (f.at is None, f.at or patrol.started_at))


def _flag(patrol: Patrol, kind: str, at: datetime | None, detail: str) -> PatrolFlag:
    return PatrolFlag(
        patrol=patrol, grid_code=patrol.grid_code, kind=kind, at=at, detail=detail[:200]
    )


def _jumps(patrol: Patrol, rows: list[tuple], standard: PatrolStandard) -> list[PatrolFlag]:
    if len(rows) < 2:
        return []
    lats = np.array([r[1] for r in rows], dtype=float)
    lngs = np.array([r[2] for r in rows], dtype=float)
    acc = np.array([r[3] or 0.0 for r in rows], dtype=float)
    seconds = np.array([(b[0] - a[0]).total_seconds() for a, b in itertools.pairwise(rows)])
    _az, _baz, dist = GEOD.inv(lngs[:-1], lats[:-1], lngs[1:], lats[1:])
    # A fix is only as good as its accuracy circle: only movement beyond both circles counts.
    moved = np.maximum(np.asarray(dist) - acc[:-1] - acc[1:], 0.0)
    speed = moved / np.maximum(seconds, 1.0) * 3.6
    hits = np.flatnonzero(speed > standard.max_speed_kmh)
    flags = []
    for n, i in enumerate(hits[:MAX_PER_KIND]):
        detail = _("%(t)s 两点间速度 %(v)d 公里/小时,超过 %(m)s") % {
            "t": _hm(rows[i + 1][0]),
            "v": round(float(speed[i])),
            "m": f"{standard.max_speed_kmh:g}",
        }
        if n == MAX_PER_KIND - 1 and len(hits) > MAX_PER_KIND:
            detail += _("(共 %(n)d 处)") % {"n": len(hits)}
        flags.append(_flag(patrol, FlagKind.JUMP, rows[i + 1][0], detail))
    return flags


def _stationary(patrol: Patrol, rows: list[tuple], standard: PatrolStandard) -> list[PatrolFlag]:
    """Stretches where the worker stayed within 20 m of one fix for ``stationary_minutes``.

    Each anchor looks ahead in chunks in a local metric projection, so a long track costs
    about (points × length of a stay), not points²."""
    if len(rows) < 2:
        return []
    limit = standard.stationary_minutes * 60
    transformer = local_projection(grid_shape(patrol.grid))
    xy = project_xy([r[2] for r in rows], [r[1] for r in rows], transformer)
    flags: list[PatrolFlag] = []
    i, n = 0, len(rows)
    while i < n - 1 and len(flags) < MAX_PER_KIND:
        last = n - 1
        j = i + 1
        while j < n:
            chunk = xy[j : j + CHUNK]
            away = np.flatnonzero(np.hypot(*(chunk - xy[i]).T) > STATIONARY_RADIUS_M)
            if len(away):
                last = j + int(away[0]) - 1
                break
            j += CHUNK
        stayed = (rows[last][0] - rows[i][0]).total_seconds()
        if last > i and stayed >= limit:
            flags.append(
                _flag(
                    patrol,
                    FlagKind.STATIONARY,
                    rows[i][0],
                    _("%(t)s 起在 %(r)d 米范围内停留 %(d)d 分钟,超过 %(m)d 分钟")
                    % {
                        "t": _hm(rows[i][0]),
                        "r": int(STATIONARY_RADIUS_M),
                        "d": int(stayed // 60),
                        "m": standard.stationary_minutes,
                    },
                )
            )
            i = last + 1
        else:
            i += 1
    return flags


def _far_outside(patrol: Patrol, rows: list[tuple], standard: PatrolStandard) -> list[PatrolFlag]:
    if not rows:
        return []
    poly_ll = grid_shape(patrol.grid)
    transformer = local_projection(poly_ll)
    poly = project(poly_ll, transformer)
    xy = project_xy([r[2] for r in rows], [r[1] for r in rows], transformer)
    distances = shapely.distance(poly, shapely.points(xy))
    far = np.flatnonzero(np.asarray(distances) > standard.far_outside_m)
    if not len(far):
        return []
    first = rows[int(far[0])][0]
    return [
        _flag(
            patrol,
            FlagKind.FAR_OUTSIDE,
            first,
            _("%(t)s 起 %(n)d 个定位点远离网格,最远 %(d)d 米,超过 %(m)d 米")
            % {
                "t": _hm(first),
                "n": len(far),
                "d": round(float(np.max(np.asarray(distances)[far]))),
                "m": standard.far_outside_m,
            },
        )
    ]
