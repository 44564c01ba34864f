"""Patrols made by hand for the page tests: rows written directly, so a page test does not
depend on the services' rules (those have their own tests)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from civicgrid.fieldwork.choices import ComplianceStatus, FlagKind
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolFlag, TrackPoint
from civicgrid.geo.models import Grid

# Inside grid a1_west of the test city (106.70–106.71 E, 26.50–26.51 N).
INSIDE = (26.505, 106.705)


def make_patrol(
    worker: Any,
    grid: Grid,
    *,
    start: datetime | None = None,
    minutes: int = 40,
    points: int = 12,
    ended: bool = True,
) -> Patrol:
    start = start or timezone.now().replace(microsecond=0) - timedelta(minutes=minutes + 5)
    patrol = Patrol.objects.create(
        worker=worker,
        grid=grid,
        grid_code=grid.code,
        started_at=start,
        ended_at=start + timedelta(minutes=minutes) if ended else None,
        duration_s=minutes * 60 if ended else 0,
        distance_m=1234.0 if ended else 0,
        inside_share=0.9 if ended else None,
        coverage_share=0.6 if ended else None,
        point_count=points if ended else 0,
    )
    TrackPoint.objects.bulk_create(
        TrackPoint(
            patrol=patrol,
            at=start + timedelta(minutes=i * minutes / max(points, 1)),
            lat=INSIDE[0] + i * 0.0002,
            lng=INSIDE[1] + i * 0.0002,
            accuracy=10,
        )
        for i in range(points)
    )
    return patrol


def make_flag(patrol: Patrol, detail: str = "14:02 两点间速度 86 公里/小时,超过 25") -> PatrolFlag:
    return PatrolFlag.objects.create(
        patrol=patrol,
        grid_code=patrol.grid_code,
        kind=FlagKind.JUMP,
        detail=detail,
        at=patrol.started_at,
    )


def make_verdict(
    worker: Any, grid: Grid, day: date, status: str = ComplianceStatus.COMPLIANT
) -> DailyCompliance:
    return DailyCompliance.objects.create(
        worker=worker,
        grid=grid,
        grid_code=grid.code,
        day=day,
        status=status,
        patrols=2 if status == ComplianceStatus.COMPLIANT else 1,
        minutes=80,
        note="",
    )
