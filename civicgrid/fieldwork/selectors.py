"""Reads for field work: one patrol, its track (audited), the on-duty map, compliance and
flags. Every read starts from ``visible_to`` / ``access_object`` (docs/architecture.md "One
way in"): tracks are TRACK_READERS' data, and a grid worker reads only their own.

Location tracks are personal data (PIPL art. 28): every read of another person's track —
one patrol's replay or the on-duty map — writes an audit entry.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object
from civicgrid.fieldwork.compliance import day_bounds
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolFlag, TrackPoint

# Vertices per track on the on-duty map (an overview; the replay reads the whole track).
MAP_VERTICES = 100


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


def _raw_coordinates(patrol_ids: list[int]) -> list[tuple[int, float, float]]:
    """(patrol_id, lat, lng) of the patrols' points in time order, straight from the cursor
    (the unique (patrol, at) index gives the order): a street's day is ~100,000 points, and
    building a model row or a datetime per point would take most of the on-duty map's 200 ms
    budget (issue 9 "Speed")."""
    query = (
        TrackPoint.objects.filter(patrol_id__in=patrol_ids)
        .order_by("patrol_id", "at")
        .values_list("patrol_id", "lat", "lng")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _iso(at: datetime | None) -> str | None:
    return timezone.localtime(at).isoformat() if at is not None else None


def _thin(rows: list[Any]) -> list[Any]:
    """At most ``MAP_VERTICES`` of a track's rows, first and last kept: the overview shows
    where each worker went; the exact track, with its times, is the patrol's own (audited)
    replay."""
    if len(rows) <= MAP_VERTICES:
        return rows
    step = -(-len(rows) // (MAP_VERTICES - 1))
    return [*rows[:-1:step], rows[-1]]


def onduty(user: Any, day: date, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """The on-duty map of ``day`` as a GeoJSON FeatureCollection: one Point per worker at
    their last position (properties ``kind="position", worker, worker_id, grid, at,
    patrol_id, open``) and one LineString per patrol that day (``kind="track", patrol_id,
    worker, worker_id, grid, started_at, ended_at, flags``), thinned to ``MAP_VERTICES``
    vertices. Four queries whatever the number of workers; audited when it shows other
    people's tracks."""
    start, end = day_bounds(day)
    last_point = TrackPoint.objects.filter(patrol=OuterRef("pk")).order_by("-at")
    patrols = list(
        Patrol.objects.visible_to(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .select_related("worker", "grid")
        .annotate(
            last_at=Subquery(last_point.values("at")[:1]),
            last_lat=Subquery(last_point.values("lat")[:1]),
            last_lng=Subquery(last_point.values("lng")[:1]),
        )
        .order_by("started_at", "pk")
    )
    ids = [p.pk for p in patrols]
    flag_counts = dict(
        PatrolFlag.objects.filter(patrol_id__in=ids)
        .values("patrol_id")
        .annotate(n=Count("id"))
        .values_list("patrol_id", "n")
    ) if ids else {}  # fmt: skip
    tracks: dict[int, list[list[float]]] = {}
    if ids:
        for patrol_id, rows in groupby(_raw_coordinates(ids), key=itemgetter(0)):
            tracks[patrol_id] = [[lng, lat] for _id, lat, lng in _thin(list(rows))]
    lines: list[dict[str, Any]] = []
    last: dict[int, Any] = {}
    for patrol in patrols:
        coordinates = tracks.get(patrol.pk, [])
        if len(coordinates) >= 2:
            lines.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coordinates},
                    "properties": {
                        "kind": "track",
                        "patrol_id": patrol.pk,
                        "worker": str(patrol.worker),
                        "worker_id": patrol.worker_id,
                        "grid": patrol.grid.name,
                        "started_at": _iso(patrol.started_at),
                        "ended_at": _iso(patrol.ended_at),
                        "flags": flag_counts.get(patrol.pk, 0),
                    },
                }
            )
        at = getattr(patrol, "last_at", None)
        if at is not None:
            previous = last.get(patrol.worker_id)
            if previous is None or at >= previous.last_at:
                last[patrol.worker_id] = patrol
    positions = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.last_lng, p.last_lat]},
            "properties": {
                "kind": "position",
                "worker": str(p.worker),
                "worker_id": p.worker_id,
                "grid": p.grid.name,
                "at": _iso(p.last_at),
                "patrol_id": p.pk,
                "open": p.ended_at is None,
            },
        }
        for p in last.values()
    ]
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


def access_worker(user: Any, worker_id: int) -> User:
    """A grid worker whose 一日双巡 record ``user`` may read: themselves, or, for those who
    supervise field work, one whose grid lies in their jurisdiction for tracks. A grid worker
    reads only their own, like their own tracks. Anyone else: 404, as if missing."""
    worker = None
    if 0 < worker_id < 2**63:
        worker = User.objects.filter(pk=worker_id, role=Role.GRID_WORKER).first()
    if worker is None:
        raise Http404
    if worker.pk == user.pk:
        return worker
    if user.role == Role.GRID_WORKER and not user.is_superuser:
        raise Http404
    if not any(user.in_scope(code, reads="tracks") for code in worker.scope_codes):
        raise Http404
    return worker
