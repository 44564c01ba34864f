"""Reads for field work: one patrol, its track (audited), the on-duty map, compliance and
flags. Every read starts from ``visible_to`` / ``access_object`` (docs/architecture.md "One
way in"): tracks are TRACK_READERS' data, and a grid worker reads only their own.

Location tracks are personal data (PIPL art. 28): every read of another person's track —
one patrol's replay or the on-duty map — writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404, HttpRequest
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object, scope_key, starts_with_q
from civicgrid.fieldwork.compliance import day_bounds
from civicgrid.fieldwork.models import (
    DailyCompliance,
    Patrol,
    PatrolFlag,
    TrackPoint,
    Visit,
    VisitRule,
)
from civicgrid.fieldwork.services import track_outline, unpack_outline


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
    (the unique (patrol, at) index gives the order), for the patrols whose outline is not
    stored (open ones): building a model row or a datetime per point would cost most of the
    on-duty map's 200 ms budget (issue 9 "Speed")."""
    query = (
        TrackPoint.objects.filter(patrol_id__in=patrol_ids)
        .order_by("patrol_id", "at")
        .values_list("patrol_id", "lat", "lng")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _last_fixes(patrol_ids: list[int]) -> dict[int, tuple[datetime, float, float]]:
    """The last point of patrols whose last fix is not stored on them (points written
    around the services, as imports of old data do)."""
    last = TrackPoint.objects.filter(patrol=OuterRef("pk")).order_by("-at")
    return {
        pk: (at, lat, lng)
        for pk, at, lat, lng in Patrol.objects.filter(pk__in=patrol_ids)
        .annotate(
            at=Subquery(last.values("at")[:1]),
            lat=Subquery(last.values("lat")[:1]),
            lng=Subquery(last.values("lng")[:1]),
        )
        .filter(at__isnull=False)
        .values_list("pk", "at", "lat", "lng")
    }


def _iso(at: datetime | None, tz: Any = None) -> str | None:
    """Local ISO time. The map passes ``tz`` once: ``timezone.localtime`` looks the current
    time zone up in a context-local on every call, which for a street's 1,500 timestamps was
    a fifth of the on-duty map's time."""
    if at is None:
        return None
    return at.astimezone(tz or timezone.get_current_timezone()).isoformat()


def onduty(user: Any, day: date, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """The on-duty map of ``day`` as a GeoJSON FeatureCollection: one Point per worker at
    their last position (properties ``kind="position", worker, worker_id, grid, at,
    patrol_id, open``) and one LineString per patrol that day (``kind="track", patrol_id,
    worker, worker_id, grid, started_at, ended_at, flags``), thinned to ``MAP_VERTICES``
    vertices. At most five queries whatever the number of workers (a fifth only for patrols
    whose points were written around the services); audited when it shows other people's
    tracks."""
    start, end = day_bounds(day)
    tz = timezone.get_current_timezone()
    # Plain rows, not model instances: 600 patrols with their worker and grid built as models
    # took a third of the map's time (issue 9 "Speed").
    patrols = [
        SimpleNamespace(**row)
        for row in Patrol.objects.visible_to(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .order_by("started_at", "pk")
        .values(
            "pk",
            "worker_id",
            "worker__full_name",
            "worker__username",
            "grid__name",
            "started_at",
            "ended_at",
            "outline",
            "last_at",
            "last_lat",
            "last_lng",
        )
    ]
    ids = [p.pk for p in patrols]
    flag_counts = dict(
        PatrolFlag.objects.filter(patrol_id__in=ids)
        .values("patrol_id")
        .annotate(n=Count("id"))
        .values_list("patrol_id", "n")
    ) if ids else {}  # fmt: skip
    # Ended patrols carry their outline; open ones, and those that ended before outlines were
    # stored, are read point by point.
    tracks = {p.pk: unpack_outline(p.outline) for p in patrols if p.outline is not None}
    unread = [p.pk for p in patrols if p.outline is None]
    if unread:
        for patrol_id, rows in groupby(_raw_coordinates(unread), key=itemgetter(0)):
            tracks[patrol_id] = track_outline(list(rows))
    unplaced = [p for p in patrols if p.last_at is None and tracks.get(p.pk)]
    if unplaced:
        fixes = _last_fixes([p.pk for p in unplaced])
        for p in unplaced:
            if p.pk in fixes:
                p.last_at, p.last_lat, p.last_lng = fixes[p.pk]
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
                        "worker": patrol.worker__full_name or patrol.worker__username,
                        "worker_id": patrol.worker_id,
                        "grid": patrol.grid__name,
                        "started_at": _iso(patrol.started_at, tz),
                        "ended_at": _iso(patrol.ended_at, tz),
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
                "worker": p.worker__full_name or p.worker__username,
                "worker_id": p.worker_id,
                "grid": p.grid__name,
                "at": _iso(p.last_at, tz),
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
            target=Patrol(pk=patrols[0].pk),
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
    """One row of the due list: a person (a care/special tag's rule) or a household (a
    household-type rule). ``label`` is what the row is called: the person's name, or the
    household's building and room."""

    target: str  # "person" or "household"
    person_id: int | None
    person_name: str
    household_id: int | None
    label: str
    grid_code: str
    grid_name: str
    tag_kind: str  # the rule's group: the tag kind, or the household type (出租户 …)
    interval_days: int
    last_visit: date | None
    due_on: date
    days_overdue: int


def _household_label(name: str, address: str, unit: str, room: str, number: str) -> str:
    place = " ".join(p for p in (name or address, f"{unit}单元{room}" if unit else room) if p)
    return place or (f"户 {number}" if number else "")


def due_visits(
    user: Any, *, today: date | None = None, limit: int | None = None, code: str = ""
) -> list[DueVisit]:
    """Who must be visited next, most overdue first: one row per current care/special tag of a
    living, current person ``user`` may see (special groups only for those allowed to see
    them: ``PersonTag.objects.visible_to``) whose kind has a visit rule, and one row per
    current household ``user`` may see whose type (户别, or 出租户 by its dwelling) has one.
    Due = last visit to the person (or, for a household, to anyone of it), else the tag's start
    (the household's registration), plus the rule's interval. ``code`` narrows it to a division
    or grid (the caller checks that it lies in the jurisdiction).

    The database orders and cuts each visit interval's rows (a rule's interval is the same for
    all of them, so "due first" is "last visit, else start, first"): a city-wide supervisor's
    first page reads ``limit`` rows per interval, not the city's hundreds of thousands of
    rented households (docs/scaling.md "City-scale run"). A few queries per interval, whatever
    the number of people and households."""
    from civicgrid.fieldwork.choices import HouseholdType
    from civicgrid.fieldwork.visits import rule_for_household

    today = today or timezone.localdate()
    rules, tags, households = _due_sources(user, today, code)

    def row(*, start: date, last_at: datetime | None, interval: int, **fields: Any) -> DueVisit:
        last_day = timezone.localdate(last_at) if last_at is not None else None
        due_on = (last_day or start) + timedelta(days=interval)
        return DueVisit(
            interval_days=interval,
            last_visit=last_day,
            due_on=due_on,
            days_overdue=(today - due_on).days,
            **fields,
        )

    due: list[DueVisit] = []
    for interval, which in _tag_groups(tags, rules).items():
        found = _first_due(
            tags.filter(which), "person__last_visit__visited_at", F("started_on"),
            "person__grid_code",
            ("kind__name", "started_on", "person_id", "person__name", "person__household_id",
             "person__grid__name"),
            limit,
        )  # fmt: skip
        for last, code, kind_name, started_on, person_id, name, household_id, grid in found:
            due.append(
                row(
                    start=started_on,
                    last_at=last,
                    interval=interval,
                    target="person",
                    person_id=person_id,
                    person_name=name,
                    household_id=household_id,
                    label=name,
                    grid_code=code,
                    grid_name=grid or "",
                    tag_kind=kind_name,
                )
            )
    type_labels = dict(HouseholdType.choices)
    registered = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    for interval, which in _household_groups(rules, today).items():
        found = _first_due(
            households.filter(which), "last_visit__visited_at", registered, "grid_code",
            ("pk", "kind", "dwelling__occupancy", "created_at", "number", "grid__name",
             "dwelling__building__name", "dwelling__building__address", "dwelling__unit",
             "dwelling__room"),
            limit,
        )  # fmt: skip
        for (
            last,
            code,
            pk,
            kind,
            occupancy,
            created,
            number,
            grid,
            name,
            address,
            unit,
            room,
        ) in found:
            rule = rule_for_household(kind, occupancy, rules, today=today)
            assert rule is not None  # the group was chosen by the same rule
            due.append(
                row(
                    start=timezone.localdate(created),
                    last_at=last,
                    interval=interval,
                    target="household",
                    person_id=None,
                    person_name="",
                    household_id=pk,
                    label=_household_label(name, address, unit, room, number),
                    grid_code=code,
                    grid_name=grid or "",
                    tag_kind=str(type_labels[rule.household_type]),
                )
            )
    due.sort(
        key=lambda d: (d.due_on, d.grid_code, d.label, d.target, d.person_id or d.household_id or 0)
    )
    return due[:limit] if limit is not None else due


def _first_due(
    rows: QuerySet[Any],
    last: str,
    start: Any,
    grid: str,
    fields: tuple[str, ...],
    limit: int | None,
) -> list[tuple[Any, ...]]:
    """(last visit, grid code, *fields) of ``rows`` (one visit interval's tags or households),
    earliest due first: by the kept last visit (``last``, a path to ``LastHouseholdVisit`` or
    ``LastPersonVisit``), else ``start``, then grid code. With ``limit``, the first ``limit``
    and every row tied with the last of them on day and grid, so the caller's finer order (by
    label) cuts exactly where sorting every row would."""
    tz = timezone.get_current_timezone()
    ordered = rows.annotate(
        last=F(last), base=Coalesce(TruncDate(last, tzinfo=tz), start), code=F(grid)
    ).order_by("base", "code", "pk")
    names = ("last", "code", *fields)
    if limit is None:
        return list(ordered.values_list(*names))
    # The cut reads only what orders the rows; the fields (names, buildings, grids: joins over
    # a city's rows) are read for the rows kept, by primary key.
    first = list(ordered.values_list("pk", "base", "code")[:limit])
    if len(first) == limit:
        _pk, base, code = first[-1]
        tied = ordered.filter(base=base, code=code).exclude(pk__in=[r[0] for r in first])
        first += tied.values_list("pk", "base", "code")
    found = {
        r[0]: r[1:] for r in ordered.filter(pk__in=[r[0] for r in first]).values_list("pk", *names)
    }
    return [found[pk] for pk, _base, _code in first]


def _due_sources(
    user: Any, today: date, code: str = ""
) -> tuple[list[VisitRule], QuerySet[Any], QuerySet[Any]]:
    """The rules in force on ``today``, and the tags and households ``user`` may see (under
    ``code``, if given) that one of them could make due (``due_visits`` and ``overdue_counts``
    read the same ones)."""
    from civicgrid.fieldwork.choices import HouseholdType
    from civicgrid.registry.choices import Occupancy, PersonStatus
    from civicgrid.registry.models import Household, PersonTag

    rules = [r for r in VisitRule.objects.all() if r.retired_on is None or r.retired_on > today]
    tag_kinds = {r.tag_kind_id for r in rules if r.tag_kind_id is not None}
    household_types = {r.household_type for r in rules if r.household_type}
    tags = (
        PersonTag.objects.visible_to(user)
        .active()
        .filter(
            kind_id__in=tag_kinds,
            person__status=PersonStatus.LIVING,
            person__retired_on__isnull=True,
        )
    )
    households = Household.objects.none()
    if household_types:
        which = Q(kind__in=household_types - {HouseholdType.RENTED})
        if HouseholdType.RENTED in household_types:
            which |= Q(dwelling__occupancy=Occupancy.RENTED)
        households = Household.objects.visible_to(user).filter(which, retired_on__isnull=True)
    if code:
        tags = tags.filter(starts_with_q("grid_code", code))
        households = households.filter(starts_with_q("grid_code", code))
    return rules, tags, households


def _tag_groups(tags: QuerySet[Any], rules: list[VisitRule]) -> dict[int, Q]:
    """Interval (days) → which of ``tags`` it governs. A tag's rule depends only on its kind
    and risk level, so the distinct (kind, level) pairs decide it, however many tags there are."""
    from civicgrid.fieldwork.visits import rule_for_tag
    from civicgrid.registry.models import PersonTag

    groups: dict[int, Q] = {}
    # order_by(): the model's ordering (by start date) would otherwise be part of DISTINCT,
    # one pair per start day, and each pair one more OR in every due query.
    for kind_id, level in (
        tags.values_list("kind_id", "attributes__risk_level").order_by().distinct()
    ):
        attributes = {} if level is None else {"risk_level": level}
        rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes=attributes), rules)
        if rule is None:
            continue
        same_level = (
            Q(attributes__risk_level__isnull=True) | Q(attributes__risk_level=None)
            if level is None
            else Q(attributes__risk_level=level)
        )
        which = Q(kind_id=kind_id) & same_level
        interval = rule.interval_days
        groups[interval] = groups[interval] | which if interval in groups else which
    return groups


def _household_groups(rules: list[VisitRule], today: date) -> dict[int, Q]:
    """Interval (days) → which households it governs: a household's rule depends only on its
    户别 and whether its dwelling is rented, a handful of combinations."""
    from civicgrid.fieldwork.choices import HouseholdType
    from civicgrid.fieldwork.visits import rule_for_household
    from civicgrid.registry.choices import Occupancy

    groups: dict[int, Q] = {}
    rented = Q(dwelling__occupancy=Occupancy.RENTED)
    for kind in [*HouseholdType.values, ""]:
        of_kind = Q(kind=kind) if kind else ~Q(kind__in=HouseholdType.values)
        for occupancy, lives in ((Occupancy.RENTED, rented), ("", ~rented)):
            rule = rule_for_household(kind, occupancy, rules, today=today)
            if rule is None:
                continue
            which = of_kind & lives
            interval = rule.interval_days
            groups[interval] = groups[interval] | which if interval in groups else which
    return groups


# A street's or wider overdue counts read every rented household and tagged person of it
# (3.8 s for a city of 10 M): the command screen and the 待走访 page share one count per
# jurisdiction for a few minutes.
OVERDUE_KEPT_SECONDS = 300


def kept_overdue_counts(user: Any, today: date) -> tuple[dict[str, int], datetime]:
    """``overdue_counts`` and when it was counted, kept for ``OVERDUE_KEPT_SECONDS`` per
    jurisdiction, day and special-groups permission (whoever may not see those groups never
    gets a count that includes their visits)."""
    from civicgrid.registry.querysets import sees_special_groups

    key = f"fieldwork:overdue:{scope_key(user, sees_special_groups(user), today)}"
    kept = cache.get(key)
    if kept is None:
        kept = (overdue_counts(user, today), timezone.now())
        cache.set(key, kept, OVERDUE_KEPT_SECONDS)
    return kept


def overdue_counts(user: Any, today: date | None = None, code: str = "") -> dict[str, int]:
    """Overdue visits (due before ``today``) per grid code, over what ``user`` may see: the rows
    of ``due_visits`` with ``days_overdue > 0``, counted in the database. A city holds hundreds
    of thousands of rented households and tagged people; reading them all took the command
    screen 25 s at 10 M people (docs/scaling.md "City-scale run").

    A row is overdue when its last visit fell before ``today - interval`` or, never visited,
    its start did: no visit since that day began, and either some visit or an earlier start.
    ``code`` narrows it as in ``due_visits``."""
    today = today or timezone.localdate()
    rules, tags, households = _due_sources(user, today, code)
    counts: dict[str, int] = {}
    # (rows, groups, the kept last visit, began before the cutoff, grid code)
    sources: list[tuple[QuerySet[Any], dict[int, Q], str, Callable[..., Q], str]] = [
        (tags, _tag_groups(tags, rules), "person__last_visit__visited_at",
         lambda day, moment: Q(started_on__lt=day), "person__grid_code"),
        (households, _household_groups(rules, today), "last_visit__visited_at",
         lambda day, moment: Q(created_at__lt=moment), "grid_code"),
    ]  # fmt: skip
    for rows, groups, last, began_before, grid in sources:
        never = Q(**{f"{last}__isnull": True})
        for interval, which in groups.items():
            cutoff_day = today - timedelta(days=interval)
            cutoff = day_bounds(cutoff_day)[0]
            late = rows.filter(which).filter(
                Q(**{f"{last}__lt": cutoff}) | never, began_before(cutoff_day, cutoff) | ~never
            )
            for code, n in late.values_list(grid).annotate(n=Count("pk")).order_by():
                counts[code] = counts.get(code, 0) + n
    return counts
