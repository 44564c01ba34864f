"""Reads for field work: one patrol, its track (audited), the on-duty map, compliance and
flags. Every read starts from ``visible_to`` / ``access_object`` (docs/architecture.md "One
way in"): tracks are TRACK_READERS' data, and a grid worker reads only their own.

Location tracks are personal data (PIPL art. 28): every read of another person's track —
one patrol's replay or the on-duty map — writes an audit entry.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object
from civicgrid.fieldwork.compliance import day_bounds
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolFlag, TrackPoint


def access_patrol(user: Any, pk: Any, *, for_write: bool = False) -> Patrol:
    """The patrol if ``user`` may see it; 404 otherwise (the same as missing)."""
    return access_object(
        Patrol.objects.select_related("worker", "grid"), user, pk, for_write=for_write
    )


def patrol_track(
    user: Any, patrol: Patrol, *, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """The patrol's points ``[{at, lat, lng, accuracy}]`` in time order. The caller got
    ``patrol`` through ``access_patrol``; a reader other than the worker is audited."""
    points = [
        {"at": at, "lat": lat, "lng": lng, "accuracy": accuracy}
        for at, lat, lng, accuracy in TrackPoint.objects.filter(patrol=patrol)
        .order_by("at")
        .values_list("at", "lat", "lng", "accuracy")
    ]
    if user.pk != patrol.worker_id:
        audit_record(
            actor=user,
            action="track_view",
            target=patrol,
            field="track",
            reason=f"{patrol.worker} {timezone.localtime(patrol.started_at):%Y-%m-%d %H:%M}",
            request=request,
        )
    return points


def onduty(user: Any, day: date, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """The on-duty map of ``day`` as a GeoJSON FeatureCollection: one LineString per patrol
    that day (properties ``patrol_id, worker, worker_id, grid, started_at, ended_at, flags``
    and ``times``, the Unix seconds of each vertex for the replay slider) and one Point per
    worker at their last position (``worker, worker_id, grid, at, patrol_id, open``).
    Four queries whatever the number of workers; audited when it shows other people."""
    start, end = day_bounds(day)
    patrols = list(
        Patrol.objects.visible_to(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .select_related("worker", "grid")
        .order_by("started_at")
    )
    ids = [p.pk for p in patrols]
    flag_counts = dict(
        PatrolFlag.objects.filter(patrol_id__in=ids)
        .values("patrol_id")
        .annotate(n=Count("id"))
        .values_list("patrol_id", "n")
    ) if ids else {}  # fmt: skip
    tracks: dict[int, list[tuple[Any, float, float]]] = defaultdict(list)
    if ids:
        for patrol_id, at, lat, lng in (
            TrackPoint.objects.filter(patrol_id__in=ids)
            .order_by("patrol_id", "at")
            .values_list("patrol_id", "at", "lat", "lng")
            .iterator(chunk_size=5000)
        ):
            tracks[patrol_id].append((at, lat, lng))
    lines: list[dict[str, Any]] = []
    last: dict[int, dict[str, Any]] = {}
    for patrol in patrols:
        points = tracks.get(patrol.pk, [])
        worker = str(patrol.worker)
        if len(points) >= 2:
            lines.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[lng, lat] for _at, lat, lng in points],
                    },
                    "properties": {
                        "kind": "track",
                        "patrol_id": patrol.pk,
                        "worker": worker,
                        "worker_id": patrol.worker_id,
                        "grid": patrol.grid.name,
                        "started_at": patrol.started_at.isoformat(),
                        "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
                        "flags": flag_counts.get(patrol.pk, 0),
                        "times": [int(at.timestamp()) for at, _lat, _lng in points],
                    },
                }
            )
        if points:
            at, lat, lng = points[-1]
            previous = last.get(patrol.worker_id)
            if previous is None or at >= previous["at"]:
                last[patrol.worker_id] = {
                    "at": at,
                    "feature": {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lng, lat]},
                        "properties": {
                            "kind": "position",
                            "worker": worker,
                            "worker_id": patrol.worker_id,
                            "grid": patrol.grid.name,
                            "at": at.isoformat(),
                            "patrol_id": patrol.pk,
                            "open": patrol.ended_at is None,
                        },
                    },
                }
    others = {p.worker_id for p in patrols} - {user.pk}
    if others:
        audit_record(
            actor=user,
            action="track_onduty",
            target=patrols[0],
            field="track",
            reason=f"{day.isoformat()} 在岗地图:{len(others)} 名网格员、{len(patrols)} 次巡查",
            request=request,
        )
    positions = [entry["feature"] for entry in last.values()]
    return {"type": "FeatureCollection", "features": positions + lines}


def compliance_list(user: Any, day: date) -> QuerySet[DailyCompliance]:
    """The 一日双巡 verdicts of ``day`` the user may read, by grid then worker."""
    return (
        DailyCompliance.objects.visible_to(user)
        .filter(day=day)
        .select_related("worker", "grid")
        .order_by("grid_code", "worker__full_name", "worker_id")
    )


def compliance_month(user: Any, worker: Any, year: int, month: int) -> list[DailyCompliance]:
    """One worker's verdicts of a month (the calendar); empty when out of the user's reach."""
    worker_id = getattr(worker, "pk", worker)
    return list(
        DailyCompliance.objects.visible_to(user)
        .filter(worker_id=worker_id, day__year=year, day__month=month)
        .select_related("worker", "grid")
        .order_by("day", "grid_code")
    )


def flags_list(user: Any, day_from: date, day_to: date) -> QuerySet[PatrolFlag]:
    """电子监察 flags of patrols started between the two days (inclusive), newest first."""
    start, _end = day_bounds(day_from)
    _start, end = day_bounds(day_to)
    return (
        PatrolFlag.objects.visible_to(user)
        .filter(patrol__started_at__gte=start, patrol__started_at__lt=end)
        .select_related("patrol", "patrol__worker", "patrol__grid")
        .order_by("-at", "-id")
    )


def patrol_list(
    user: Any, *, day: date | None = None, worker_id: int | None = None, grid_prefix: str = ""
) -> QuerySet[Patrol]:
    """Patrols the user may read, newest first, optionally of one day, one worker and a code
    prefix; each carries ``flag_count`` for ``present_patrol``."""
    rows = Patrol.objects.visible_to(user)
    if day is not None:
        start, end = day_bounds(day)
        rows = rows.filter(started_at__gte=start, started_at__lt=end)
    if worker_id is not None:
        rows = rows.filter(worker_id=worker_id)
    if grid_prefix:
        rows = rows.filter(grid_code__startswith=grid_prefix)
    return (
        rows.select_related("worker", "grid")
        .annotate(flag_count=Count("flags"))
        .order_by("-started_at", "-id")
    )
