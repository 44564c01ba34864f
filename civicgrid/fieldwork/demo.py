"""Weeks of patrols for the demo city's grid workers, so the calendar, the on-duty map and the
supervision list show something real.

Each working day a worker mostly patrols twice, once in each window of 一日双巡, walking at
1–1.5 m/s along a lattice of "streets" inside their grid with a GPS fix every ~20 s. Some days
have one patrol or none, some patrols are too short, some are walked outside the grid, and a
few carry a GPS jump or a long stop, so every verdict and every kind of flag appears. Points are
written in bulk and each finished patrol then goes through the same ``compute_metrics`` and
``flag_patrol`` as ``patrol_end``, and each past day through ``compliance_for_day``: the demo
shows what the real rules make of these walks. Today has patrols up to the current time, some
still open, for the on-duty map. Household visits follow the visit rules for the tagged people
of the workers' grids, some lapsed, so the due list shows overdue people. Deterministic for the
city's seed (times hang on today)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

import numpy as np
import shapely
from django.db import connection
from django.utils import timezone
from shapely.geometry import LineString

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.worktime import is_workday
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.demo_tasks import build_tasks
from civicgrid.fieldwork.models import Patrol, TrackPoint, Visit, VisitRule
from civicgrid.fieldwork.services import compute_metrics, pack_outline, standard_for, track_outline
from civicgrid.fieldwork.supervision import flag_patrol
from civicgrid.fieldwork.visits import (
    DEFAULT_HOUSEHOLD_RULES,
    DEFAULT_RULES,
    note_last_visits,
    rule_for_tag,
)
from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid
from civicgrid.registry.choices import PersonStatus
from civicgrid.registry.models import Building, PersonTag, TagKind

WEEKS = 6
# Patrols of the last days all go through compute_metrics and flag_patrol.
RECHECK_DAYS = 7
FIX_SECONDS = 20
# Blocks of the imagined street lattice a walker follows (metres between crossings).
BLOCK_M = 90
M_PER_DEG_LAT = 110_540.0


@dataclass
class Walk:
    """One patrol to write: its worker, grid, times and the points of its track."""

    worker: User
    grid: Grid
    started_at: datetime
    ended_at: datetime | None
    points: list[tuple[datetime, float, float, float]] = field(default_factory=list)
    # Walks supervision should look at (a jump, a stop, elsewhere, short) and recent ones go
    # through the real compute_metrics/flag_patrol; see ``_measure`` for the rest.
    unusual: bool = False


class Walker:
    """Generates a walk along the lattice inside one grid polygon (in local metres)."""

    def __init__(self, grid: Grid, rng: random.Random) -> None:
        self.rng = rng
        self.shape = to_shape(grid.geometry)
        shapely.prepare(self.shape)
        centre = self.shape.representative_point()
        self.lat0, self.lng0 = centre.y, centre.x
        self.m_per_deg_lng = 111_320.0 * math.cos(math.radians(self.lat0))
        minx, _, maxx, _ = self.shape.bounds
        self.width_m = (maxx - minx) * self.m_per_deg_lng
        # Crossings inside the grid, looked up once each.
        self.inside: dict[tuple[int, int], bool] = {}

    def _inside(self, node: tuple[int, int]) -> bool:
        found = self.inside.get(node)
        if found is None:
            x = node[0] * BLOCK_M / self.m_per_deg_lng + self.lng0
            y = node[1] * BLOCK_M / M_PER_DEG_LAT + self.lat0
            found = self.inside[node] = bool(shapely.contains_xy(self.shape, x, y))
        return found

    def walk(
        self,
        start: datetime,
        minutes: float,
        *,
        offset_m: float = 0.0,
        jump: bool = False,
        stop_minutes: float = 0.0,
    ) -> list[tuple[datetime, float, float, float]]:
        """Points of a walk of ``minutes`` from ``start``. ``offset_m`` shifts the whole walk
        east (a patrol done in someone else's area); ``jump`` throws one fix ~600 m off (a GPS
        jump); ``stop_minutes`` stands still that long half-way (a long stationary stretch)."""
        rng = self.rng
        speed = rng.uniform(1.0, 1.5)
        step = speed * FIX_SECONDS
        node = (rng.randint(-6, 6), rng.randint(-15, 15))
        if not self._inside(node):
            node = (0, 0)
        x, y = float(node[0] * BLOCK_M), float(node[1] * BLOCK_M)
        heading = rng.choice([(1, 0), (-1, 0), (0, 1), (0, -1)])
        target = (node[0] + heading[0], node[1] + heading[1])
        count = max(int(minutes * 60 / FIX_SECONDS), 2)
        stop_at = count // 2 if stop_minutes else -1
        jump_at = rng.randint(count // 4, 3 * count // 4) if jump else -1
        points = []
        at = start
        for index in range(count):
            if index == stop_at:
                # Standing still: fixes scatter a few metres around one spot.
                for _ in range(int(stop_minutes * 60 / FIX_SECONDS)):
                    points.append(self._fix(at, x, y, offset_m))
                    at += timedelta(seconds=FIX_SECONDS)
            remaining = step
            while remaining > 0:
                tx, ty = target[0] * BLOCK_M, target[1] * BLOCK_M
                gap = abs(tx - x) + abs(ty - y)
                if gap > remaining:
                    x += heading[0] * remaining
                    y += heading[1] * remaining
                    break
                x, y, remaining = float(tx), float(ty), remaining - gap
                heading = self._turn(target, heading, offset_m)
                target = (target[0] + heading[0], target[1] + heading[1])
            if index == jump_at:
                points.append(self._fix(at, x + 600, y + 250, offset_m))
            else:
                points.append(self._fix(at, x, y, offset_m))
            at += timedelta(seconds=FIX_SECONDS + rng.randint(-2, 2))
        return points

    def _turn(self, node: tuple[int, int], heading: tuple[int, int], offset_m: float) -> Any:
        rng = self.rng
        left, right, back = (
            (-heading[1], heading[0]),
            (heading[1], -heading[0]),
            (
                -heading[0],
                -heading[1],
            ),
        )
        roll = rng.random()
        choices = [heading, left, right] if roll < 0.6 else [left, right, heading]
        if roll >= 0.6:
            rng.shuffle(choices)
        for option in choices:
            if self._inside((node[0] + option[0], node[1] + option[1])):
                return option
        return back

    def _fix(
        self, at: datetime, x: float, y: float, offset_m: float
    ) -> tuple[datetime, float, float, float]:
        rng = self.rng
        noisy_x = x + offset_m + rng.gauss(0, 3)
        noisy_y = y + rng.gauss(0, 3)
        return (
            at,
            self.lat0 + noisy_y / M_PER_DEG_LAT,
            self.lng0 + noisy_x / self.m_per_deg_lng,
            float(rng.randint(4, 25)),
        )


def _aware(day: date, hour: float) -> datetime:
    minutes = int(hour * 60)
    local = timezone.make_aware(datetime.combine(day, time(minutes // 60, minutes % 60)))
    # In UTC, as stored: writing a few hundred thousand points skips a zone conversion each.
    return local.astimezone(UTC)


def _plan_day(
    worker: User, grid: Grid, walker: Walker, day: date, rng: random.Random
) -> list[Walk]:
    """A worker's patrols of one working day: mostly two, sometimes one or none, now and then
    a short one, one walked elsewhere, a GPS jump or a long stop."""
    roll = rng.random()
    if roll < 0.04:
        return []
    windows = [rng.uniform(8.3, 10.0), rng.uniform(14.3, 16.2)]
    if roll < 0.12:
        windows = [rng.choice(windows)]
    walks = []
    for n, hour in enumerate(windows):
        minutes = rng.uniform(32, 55)
        kind = rng.random()
        options: dict[str, Any] = {}
        if 0.12 <= roll < 0.18 and n == len(windows) - 1:
            minutes = rng.uniform(20, 28)  # too short
        if 0.18 <= roll < 0.22 and n == 1:
            # The afternoon walked next door: mostly outside the grid, and far.
            options["offset_m"] = walker.width_m + 600
        if kind < 0.03:
            options["jump"] = True
        elif kind < 0.05:
            options["stop_minutes"] = rng.uniform(22, 30)
        start = _aware(day, hour)
        points = walker.walk(start, minutes, **options)
        unusual = bool(options) or minutes < 30
        walks.append(Walk(worker, grid, start, points[-1][0], points, unusual))
    return walks


def _cut_to_now(walks: list[Walk], now: datetime, keep_open: bool) -> list[Walk]:
    """Today's patrols as they stand now: future ones dropped, the one under way left open."""
    kept = []
    for walk in walks:
        if walk.started_at >= now:
            continue
        if walk.ended_at is not None and walk.ended_at > now:
            if not keep_open:
                continue
            walk.points = [p for p in walk.points if p[0] <= now]
            walk.ended_at = None
            if len(walk.points) < 2:
                continue
        kept.append(walk)
    return kept


def _measure(patrol: Patrol, walk: Walk, walker: Walker, buildings: Any, radius: float) -> None:
    """Metrics of an ordinary walk, measured from the walk itself instead of re-reading its
    points: the demo has thousands of them and ``compute_metrics`` reads each track back from
    the database. The walk stays on crossings inside the grid, so its inside share is whole;
    distance and building coverage are measured in the same local metres it was walked in."""
    lat = np.array([p[1] for p in walk.points])
    lng = np.array([p[2] for p in walk.points])
    xy = np.column_stack(
        [(lng - walker.lng0) * walker.m_per_deg_lng, (lat - walker.lat0) * M_PER_DEG_LAT]
    )
    patrol.point_count = len(xy)
    patrol.duration_s = int((walk.points[-1][0] - walk.started_at).total_seconds())
    patrol.distance_m = float(np.hypot(*np.diff(xy, axis=0).T).sum())
    patrol.inside_share = 1.0
    patrol.outline = pack_outline(track_outline([p[:3] for p in walk.points]))
    if len(buildings):
        near = shapely.dwithin(LineString(xy), buildings, radius)
        patrol.coverage_share = float(np.count_nonzero(near)) / len(buildings)


def _utc_text(at: datetime) -> str:
    return str(at.replace(tzinfo=None))


def _insert_points(patrols: list[Patrol], walks: list[Walk]) -> None:
    """All points in one ``executemany``: a few hundred thousand model objects would take most
    of the demo's time budget, for rows that need no model logic (docs: "make demo stays
    fast"). The values are adapted by the backend's own operations, as the ORM would."""
    table = TrackPoint._meta.db_table
    adapt: Callable[[datetime], Any] = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        # SQLite keeps UTC text, which is what adapting these UTC times gives, only faster.
        adapt = _utc_text

    rows = [
        (patrol.pk, adapt(at), lat, lng, accuracy)
        for patrol, w in zip(patrols, walks, strict=True)
        for at, lat, lng, accuracy in w.points
    ]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(table)} (patrol_id, at, lat, lng, accuracy) "
        "VALUES (%s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(sql, rows[start : start + 20_000])


def build_fieldwork(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    rng = random.Random(city.rng.randint(0, 2**31))
    now = timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(weeks=WEEKS)
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    workdays = [d for d in days if is_workday(d)]

    grids = {g.code: g for g in Grid.objects.current()}
    workers = []
    for worker in (
        User.objects.filter(role=Role.GRID_WORKER).prefetch_related("scopes").order_by("pk")
    ):
        codes = [c for c in worker.scope_codes if c in grids]
        if codes:
            workers.append((worker, grids[codes[0]]))

    walks: list[Walk] = []
    walkers: dict[int, Walker] = {}
    for index, (worker, grid) in enumerate(workers):
        walker = walkers[grid.pk] = Walker(grid, rng)
        for day in workdays:
            walks.extend(_plan_day(worker, grid, walker, day, rng))
        # Today, whatever the day: the on-duty map shows patrols up to now, a third of the
        # workers still out. The demo ``gridworker`` starts their own, so none is left open.
        today_walks = _plan_day(worker, grid, walker, today, rng) if is_workday(today) else []
        keep_open = worker.username != "gridworker"
        today_walks = _cut_to_now(today_walks, now, keep_open)
        if keep_open and index % 3 == 0 and all(w.ended_at for w in today_walks):
            start = max(now - timedelta(minutes=rng.uniform(8, 40)), _aware(today, 0))
            points = [p for p in walker.walk(start, 60) if p[0] <= now]
            if len(points) >= 2:
                today_walks.append(Walk(worker, grid, start, None, points))
        walks.extend(today_walks)

    patrols = Patrol.objects.bulk_create(
        [
            Patrol(
                worker=w.worker,
                grid=w.grid,
                grid_code=w.grid.code,
                started_at=w.started_at,
                ended_at=w.ended_at,
                # As the phone's uploads would have left it (services._move_last_fix).
                last_at=w.points[-1][0],
                last_lat=w.points[-1][1],
                last_lng=w.points[-1][2],
            )
            for w in walks
        ],
        batch_size=1000,
    )
    _insert_points(patrols, walks)
    # Recent and unusual patrols through the real rules; older ordinary walks, which those
    # rules would find clean, measured from the walk itself (``_measure``).
    recent = timezone.make_aware(datetime.combine(today - timedelta(days=RECHECK_DAYS), time()))
    radius = float(standard_for("").coverage_radius_m)
    located: dict[int, list[tuple[float, float]]] = {}
    for grid_id, lat, lng in Building.objects.filter(
        grid_id__in=list(walkers), retired_on__isnull=True
    ).values_list("grid_id", "lat", "lng"):
        if lat is not None and lng is not None:
            located.setdefault(grid_id, []).append((lng, lat))
    buildings = {
        pk: shapely.points(
            np.array(
                [
                    ((x - w.lng0) * w.m_per_deg_lng, (y - w.lat0) * M_PER_DEG_LAT)
                    for x, y in located.get(pk, [])
                ],
                dtype=float,
            ).reshape(-1, 2)
        )
        for pk, w in walkers.items()
    }
    flags = 0
    measured: list[Patrol] = []
    for patrol, walk in zip(patrols, walks, strict=True):
        if patrol.ended_at is None:
            continue
        if walk.unusual or patrol.started_at >= recent:
            compute_metrics(patrol)
            flags += len(flag_patrol(patrol))
        else:
            _measure(patrol, walk, walkers[walk.grid.pk], buildings[walk.grid.pk], radius)
            measured.append(patrol)
    Patrol.objects.bulk_update(
        measured,
        ["duration_s", "distance_m", "inside_share", "coverage_share", "point_count", "outline"],
        batch_size=500,
    )
    verdicts = sum(compliance_for_day(day) for day in workdays)
    counts = {
        "patrols": len(patrols),
        "points": sum(len(w.points) for w in walks),
        "flags": flags,
        "verdicts": verdicts,
        "visits": _build_visits(rng, now, workers),
    }
    if stdout is not None:
        stdout.write(
            f"巡查:{counts['patrols']} 次,轨迹点 {counts['points']} 个,"
            f"监察提示 {counts['flags']} 条,一日双巡结果 {counts['verdicts']} 条,"
            f"入户走访 {counts['visits']} 次\n"
        )
    build_tasks(city, stdout)  # grid tasks (分片包干), civicgrid/fieldwork/demo_tasks.py
    return counts


# ---------------------------------------------------------------------------------------------
# Household visits: the default rules, and six weeks of visits that follow them for the
# demo's tagged people — most on time, some people left unvisited lately, so the due list and
# the overdue counts per grid show something real.

VISIT_FINDINGS = {
    "care": [
        "身体状况良好,生活能自理",
        "血压偏高,已提醒按时服药",
        "家中燃气、用电安全",
        "需要协助申请居家养老服务",
    ],
    "special": [
        "情绪稳定,按时报到",
        "在家休息,家属配合",
        "近期外出务工,已登记去向",
        "服药规律,监护人在家",
    ],
}
# Share of tagged people whose visits stopped a while ago (they show as overdue).
LAPSED_SHARE = 0.15


def _ensure_visit_rules() -> list[VisitRule]:
    kinds = {k.code: k for k in TagKind.objects.filter(code__in={r[0] for r in DEFAULT_RULES})}
    for code, min_level, interval, note in DEFAULT_RULES:
        if code in kinds:
            VisitRule.objects.get_or_create(
                tag_kind=kinds[code],
                min_level=min_level,
                defaults={"interval_days": interval, "note": note},
            )
    for household_type, interval, note in DEFAULT_HOUSEHOLD_RULES:
        VisitRule.objects.get_or_create(
            household_type=household_type,
            tag_kind=None,
            defaults={"interval_days": interval, "note": note},
        )
    return list(VisitRule.objects.filter(retired_on__isnull=True))


def _build_visits(rng: random.Random, now: datetime, workers: list[tuple[Any, Grid]]) -> int:
    rules = _ensure_visit_rules()
    worker_of = {grid.code: worker for worker, grid in workers}
    tags = (
        PersonTag.objects.active()
        .filter(
            kind_id__in={r.tag_kind_id for r in rules if r.tag_kind_id is not None},
            person__status=PersonStatus.LIVING,
            person__retired_on__isnull=True,
            person__grid_code__in=list(worker_of),
        )
        .values_list(
            "kind_id",
            "kind__group",
            "attributes",
            "started_on",
            "person_id",
            "person__household_id",
            "person__grid_id",
            "person__grid_code",
        )
    )
    first = now - timedelta(weeks=WEEKS)
    visits: list[Visit] = []
    seen: set[int] = set()
    for kind_id, group, attributes, started_on, person_id, household_id, grid_id, code in tags:
        rule = rule_for_tag(PersonTag(kind_id=kind_id, attributes=attributes or {}), rules)
        if rule is None or person_id in seen:
            continue
        seen.add(person_id)
        interval = timedelta(days=rule.interval_days)
        start = max(first, timezone.make_aware(datetime.combine(started_on, time(10))))
        # Lapsed people were last seen one to three intervals before their due date passed.
        stop = now - interval * rng.uniform(1.2, 3) if rng.random() < LAPSED_SHARE else now
        at = start + interval * rng.uniform(0, 0.6)
        # Everyone was visited at least once in the demo's weeks: a due list reading "overdue by
        # 1,200 days" would describe a system nobody used, not a worker who fell behind.
        stop = max(stop, at + timedelta(hours=1))
        findings = VISIT_FINDINGS["care" if group == "care" else "special"]
        while at < stop:
            local = timezone.localtime(at)
            visited = local.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
            if visited < now:
                visits.append(
                    Visit(
                        worker=worker_of[code],
                        grid_id=grid_id,
                        grid_code=code,
                        household_id=household_id,
                        person_id=person_id,
                        visited_at=visited,
                        purpose=VisitPurpose.CARE if group == "care" else VisitPurpose.ROUTINE,
                        findings=rng.choice(findings),
                    )
                )
            # On time, a day or two early or late now and then.
            at += interval + timedelta(days=rng.choice([-1, 0, 0, 0, 0, 1, 2]))
    Visit.objects.bulk_create(visits, batch_size=1000)
    note_last_visits(visits)
    return len(visits)
