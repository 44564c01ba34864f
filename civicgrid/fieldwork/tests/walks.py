"""Hand-made tracks in the test city (grids are 0.01° squares from lng 106.70, lat 26.50;
``a1_west`` spans lng 106.70–106.71), and patrols walked through the real services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from civicgrid.fieldwork import services
from civicgrid.fieldwork.models import Patrol

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
# The evening after: every patrol of the day is in the past, none too old to start.
MONDAY_EVENING = datetime(2026, 11, 23, 21, 0, tzinfo=SHANGHAI)
MID_LAT = 26.505  # the middle row of every grid


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def line(
    start: tuple[float, float],
    end: tuple[float, float],
    begin: datetime,
    minutes: float,
    every_s: int = 30,
    accuracy: float | None = 10.0,
) -> list[dict[str, Any]]:
    """Points (lat, lng) evenly along a straight walk from ``start`` to ``end``."""
    steps = max(1, int(minutes * 60 // every_s))
    return [
        {
            "at": begin + timedelta(seconds=i * every_s),
            "lat": start[0] + (end[0] - start[0]) * i / steps,
            "lng": start[1] + (end[1] - start[1]) * i / steps,
            "accuracy": accuracy,
        }
        for i in range(steps + 1)
    ]


def inside_walk(begin: datetime, minutes: float = 40) -> list[dict[str, Any]]:
    """A slow walk west→east along the middle of grid a1_west (about 800 m)."""
    return line((MID_LAT, 106.7015), (MID_LAT, 106.7085), begin, minutes)


def walk(
    worker: Any,
    points: list[dict[str, Any]],
    *,
    begin: datetime | None = None,
    end: datetime | None = None,
    now: datetime = MONDAY_EVENING,
    **start: Any,
) -> Patrol:
    """Start, upload and end a patrol as the phone would, with the clock at ``now``."""
    begin = begin or points[0]["at"]
    with time_machine.travel(now, tick=False):
        patrol = services.patrol_start(worker=worker, at=begin, **start)
        services.track_points_add(patrol=patrol, actor=worker, points=points)
        services.patrol_end(patrol=patrol, actor=worker, at=end or points[-1]["at"])
    patrol.refresh_from_db()
    return patrol
