"""Reads for field work: one patrol, its track (audited), the on-duty map, compliance and
flags. Every read starts from ``visible_to`` / ``access_object`` (docs/architecture.md "One
way in"): tracks are TRACK_READERS' data, and a grid worker reads only their own.

Location tracks are personal data (PIPL art. 28): every read of another person's track —
one patrol's replay or the on-duty map — writes an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object
from civicgrid.fieldwork.compliance import day_bounds
from civicgrid.fieldwork.models import (
    DailyCompliance,
    Patrol,
    PatrolFlag,
    TrackPoint,
    Visit,
    VisitRule,
)

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


# ---------------------------------------------------------------------------------------------
# Household visits (入户走访): ledger work, read by LEDGER_READERS through ``visible_to``.


def access_visit(user: Any, pk: Any, *, for_write: bool = False) -> Visit:
    """The visit if ``user`` reads its grid's ledgers; 404 otherwise (the same as missing)."""
    return access_object(
        Visit.objects.select_related("worker", "grid", "person", "household", "case"),
        user,
        pk,
        for_write=for_write,
    )


def visits_list(
    user: Any,
    *,
    person_id: int | None = None,
    grid_prefix: str = "",
    day_from: date | None = None,
    day_to: date | None = None,
) -> QuerySet[Visit]:
    """Visits ``user`` may read, newest first; days are the city's local days."""
    rows = (
        Visit.objects.visible_to(user)
        .select_related("worker", "grid", "person", "household", "case")
        .prefetch_related("photos")
    )
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if grid_prefix:
        rows = rows.filter(grid_code__startswith=grid_prefix)
    if day_from is not None:
        rows = rows.filter(visited_at__date__gte=day_from)
    if day_to is not None:
        rows = rows.filter(visited_at__date__lte=day_to)
    return rows.order_by("-visited_at", "-pk")


@dataclass(frozen=True)
class DueVisit:
    person_id: int
    person_name: str
    household_id: int | None
    grid_code: str
    grid_name: str
    tag_kind: str
    interval_days: int
    last_visit: date | None
    due_on: date
    days_overdue: int


def due_visits(user: Any, *, today: date | None = None, limit: int | None = None) -> list[DueVisit]:
    """Who must be visited next, most overdue first: one row per current care/special tag of a
    living, current person ``user`` may see (special groups only for those allowed to see
    them: ``PersonTag.objects.visible_to``) whose kind has a visit rule. Due = last visit to the
    person (by anyone), else the tag's start, plus the rule's interval. Four queries whatever
    the number of people (rules, tags, last visits, grid names)."""
    from civicgrid.fieldwork.visits import rule_for_tag
    from civicgrid.geo.models import Grid
    from civicgrid.registry.choices import PersonStatus
    from civicgrid.registry.models import PersonTag

    today = today or timezone.localdate()
    rules = [r for r in VisitRule.objects.all() if r.retired_on is None or r.retired_on > today]
    if not rules:
        return []
    tags = (
        PersonTag.objects.visible_to(user)
        .active()
        .filter(
            kind_id__in={r.tag_kind_id for r in rules},
            person__status=PersonStatus.LIVING,
            person__retired_on__isnull=True,
        )
    )
    rows = list(
        tags.values_list(
            "kind_id",
            "kind__name",
            "attributes",
            "started_on",
            "person_id",
            "person__name",
            "person__household_id",
            "person__grid_code",
        )
    )
    if not rows:
        return []
    last_visits = dict(
        Visit.objects.filter(person_id__in=tags.values("person_id"))
        .values("person_id")
        .annotate(last=Max("visited_at"))
        .values_list("person_id", "last")
    )
    codes = {row[7] for row in rows}
    grid_names = dict(Grid.objects.filter(code__in=codes).values_list("code", "name"))
    due: list[DueVisit] = []
    for kind_id, kind_name, attributes, started_on, person_id, name, household_id, code in rows:
        rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes=attributes or {}), rules)
        if rule is None:
            continue
        last_at = last_visits.get(person_id)
        last_day = timezone.localdate(last_at) if last_at is not None else None
        due_on = (last_day or started_on) + timedelta(days=rule.interval_days)
        due.append(
            DueVisit(
                person_id=person_id,
                person_name=name,
                household_id=household_id,
                grid_code=code,
                grid_name=grid_names.get(code, ""),
                tag_kind=kind_name,
                interval_days=rule.interval_days,
                last_visit=last_day,
                due_on=due_on,
                days_overdue=(today - due_on).days,
            )
        )
    due.sort(key=lambda d: (d.due_on, d.grid_code, d.person_name, d.person_id))
    return due[:limit] if limit is not None else due


def overdue_counts(user: Any, today: date | None = None) -> dict[str, int]:
    """Overdue visits (due before ``today``) per grid code, over what ``user`` may see."""
    counts: dict[str, int] = {}
    for row in due_visits(user, today=today):
        if row.days_overdue > 0:
            counts[row.grid_code] = counts.get(row.grid_code, 0) + 1
    return counts
