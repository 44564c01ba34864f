"""Analysis for decisions (分析研判): five reads that point leaders at where to act
(docs/architecture.md "Assessment").

Each function takes the viewer and returns plain rows; the pages, the xlsx exports and the API
all call these, so a figure is computed in one place. Every read starts from the viewer's
jurisdiction: cases from ``Case.objects.visible_to``, facts from ``selectors.facts_for``,
ledgers and visits from their own ``visible_to`` and the registry's completeness audit. Counts
are grouped in the database; only the hotspot search works on points in Python.

- ``hotspots``: places where one category of case keeps coming back. DBSCAN over space *and*
  time: two cases of the same category are neighbours when they lie within ``radius_m`` metres
  (measured in the local UTM zone, never in degrees) and ``days`` days of each other; a case
  with at least ``min_cases`` neighbours (itself included) is a core case, clusters are the
  core cases joined through neighbouring cores plus the cases next to them. Neighbours are
  found with a grid hash (cells of ``radius_m`` × ``radius_m`` × ``days``: only the 27 cells
  around a case can hold a neighbour) and joined with union-find. It takes about 0.1 s for the
  few thousand located cases a street has in half a year and under a second at the
  ``MAX_POINTS`` cap, numpy doing the projection; scikit-learn (a large dependency with
  compiled parts) would buy nothing here.
- ``recurring``: per grid and category, cases in the last ``days`` days against the ``days``
  before, sorted by increase.
- ``seasonality``: cases per category per calendar month over whole past years; a month is
  marked when it is above the category's average month.
- ``department_rates``: 回退率 = returned / dispatched and 返工率 = reworked / disposed per
  department, from the assessment facts (the measures' single definitions), the last three
  whole months against the three before.
- ``falling_grids``: visit coverage (share of a grid's households visited in a window) now
  against ``days_ago`` days earlier, recomputed from visit dates; ledger completeness today
  against the snapshots stored each night (``completeness.record_completeness``), because the
  audit itself can only read the ledger as it is now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from pyproj import Transformer

from civicgrid.assessment.completeness import latest_before, monthly_scores
from civicgrid.assessment.measures import day_bounds, local_tz
from civicgrid.assessment.selectors import facts_for, labels, rate
from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import Case, Category
from civicgrid.geo.models import Grid

# Voided reports and duplicates merged into another case are not separate happenings.
NOT_HAPPENINGS = [CaseStatus.VOIDED, CaseStatus.MERGED]
# The most points one hotspot search reads (newest first); the page says when it stopped.
MAX_POINTS = 20000
SECONDS_PER_DAY = 86400.0


def today_local() -> date:
    return timezone.now().astimezone(local_tz()).date()


def _happenings(user: Any) -> Any:
    return Case.objects.visible_to(user).exclude(status__in=NOT_HAPPENINGS).order_by()


def _since(start: date, end: date) -> Q:
    low, high = day_bounds(start, end)
    return Q(reported_at__gte=low, reported_at__lt=high)


def _grid_names(codes: Any) -> dict[str, str]:
    # Names only, for codes the viewer already reached through their own cases or visits.
    return dict(Grid.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _category_names(ids: Any) -> dict[int, str]:
    return {
        pk: f"{code} {name}"
        for pk, code, name in Category.objects.filter(pk__in=list(ids)).values_list(
            "pk", "code", "name"
        )
    }


# ------------------------------------------------------------------------------- hotspots


@lru_cache(maxsize=8)
def _utm(zone: int, north: bool) -> tuple[Transformer, Transformer]:
    crs = f"EPSG:{(32600 if north else 32700) + zone}"
    return (
        Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


def _projection(lngs: np.ndarray, lats: np.ndarray) -> tuple[Transformer, Transformer]:
    """Forward and inverse transformers for the UTM zone of the points' middle: metres
    there are true to well under 0.1 % across a city."""
    lng = float(np.median(lngs))
    zone = min(60, max(1, int((lng + 180) // 6) + 1))
    return _utm(zone, float(np.median(lats)) >= 0)


class _Sets:
    """Union-find with path halving."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def cluster_points(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    group: np.ndarray,
    eps_m: float,
    eps_t: float,
    min_points: int,
) -> list[list[int]]:
    """DBSCAN over (x, y) metres and t days, points only ever neighbours within one ``group``
    (the category). Returns the clusters as lists of point indexes, noise left out."""
    n = len(x)
    if n == 0:
        return []
    cx = np.floor(x / eps_m).astype(np.int64)
    cy = np.floor(y / eps_m).astype(np.int64)
    ct = np.floor(t / eps_t).astype(np.int64)
    cells: dict[tuple[int, int, int, int], list[int]] = defaultdict(list)
    for i in range(n):
        cells[(int(group[i]), int(cx[i]), int(cy[i]), int(ct[i]))].append(i)
    eps2 = eps_m * eps_m
    neighbours: list[list[int]] = []
    for i in range(n):
        g, a, b, c = int(group[i]), int(cx[i]), int(cy[i]), int(ct[i])
        near: list[int] = []
        for da in (-1, 0, 1):
            for db in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for j in cells.get((g, a + da, b + db, c + dc), ()):
                        dx, dy = x[j] - x[i], y[j] - y[i]
                        if dx * dx + dy * dy <= eps2 and abs(t[j] - t[i]) <= eps_t:
                            near.append(j)
        # In index order, so a border case's "first core neighbour" does not depend on how
        # the cells happen to be walked.
        near.sort()
        neighbours.append(near)
    core = [len(near) >= min_points for near in neighbours]
    sets = _Sets(n)
    for i in range(n):
        if core[i]:
            for j in neighbours[i]:
                if core[j]:
                    sets.union(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        if core[i]:
            members[sets.find(i)].append(i)
        else:
            # A border case joins the cluster of its first core neighbour (DBSCAN's rule).
            root = next((sets.find(j) for j in neighbours[i] if core[j]), None)
            if root is not None:
                members[root].append(i)
    return [sorted(m) for m in members.values() if len(m) >= min_points]


@dataclass
class Hotspot:
    category_id: int
    category: str
    count: int
    lat: float
    lng: float
    radius_m: int
    first: date
    last: date
    grids: list[dict[str, str]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HotspotResult:
    start: date
    end: date
    points: int
    truncated: bool
    clusters: list[Hotspot]


def hotspots(
    user: Any,
    *,
    radius_m: int = 100,
    days: int = 30,
    min_cases: int = 3,
    window_days: int = 180,
    today: date | None = None,
) -> HotspotResult:
    """Clusters of same-category cases reported in the last ``window_days`` days, biggest
    first. Cases without a location cannot be placed and are left out."""
    end = today or today_local()
    start = end - timedelta(days=window_days - 1)
    rows = list(
        _happenings(user)
        .filter(_since(start, end), lat__isnull=False, lng__isnull=False)
        .order_by("-reported_at", "-id")
        .values_list("id", "number", "category_id", "grid_code", "lat", "lng", "reported_at")[
            : MAX_POINTS + 1
        ]
    )
    truncated = len(rows) > MAX_POINTS
    rows = rows[:MAX_POINTS]
    if not rows:
        return HotspotResult(start, end, 0, False, [])
    lats = np.array([r[4] for r in rows], dtype=float)
    lngs = np.array([r[5] for r in rows], dtype=float)
    forward, inverse = _projection(lngs, lats)
    x, y = forward.transform(lngs, lats)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    t = np.array([r[6].timestamp() / SECONDS_PER_DAY for r in rows], dtype=float)
    group = np.array([r[2] for r in rows], dtype=np.int64)
    found = cluster_points(x, y, t, group, float(radius_m), float(days), min_cases)

    tz = local_tz()
    grid_names = _grid_names({rows[i][3] for c in found for i in c})
    category_names = _category_names({rows[c[0]][2] for c in found})
    clusters = []
    for members in found:
        mx, my = float(x[members].mean()), float(y[members].mean())
        radius = float(np.sqrt(((x[members] - mx) ** 2 + (y[members] - my) ** 2).max()))
        lng, lat = inverse.transform(mx, my)
        days_of = sorted(rows[i][6].astimezone(tz).date() for i in members)
        codes = sorted({rows[i][3] for i in members})
        cases = sorted(
            (
                {"id": rows[i][0], "number": rows[i][1], "day": rows[i][6].astimezone(tz).date()}
                for i in members
            ),
            key=lambda c: (c["day"], c["number"]),
        )
        category_id = rows[members[0]][2]
        clusters.append(
            Hotspot(
                category_id=category_id,
                category=category_names.get(category_id, str(category_id)),
                count=len(members),
                lat=round(float(lat), 6),
                lng=round(float(lng), 6),
                radius_m=max(1, round(radius)),
                first=days_of[0],
                last=days_of[-1],
                grids=[{"code": c, "name": grid_names.get(c, c)} for c in codes],
                cases=cases,
            )
        )
    clusters.sort(key=lambda h: (-h.count, -h.last.toordinal(), h.category))
    return HotspotResult(start, end, len(rows), truncated, clusters)


# ------------------------------------------------------------------------------ recurring


def recurring(
    user: Any, *, days: int = 90, min_recent: int = 3, today: date | None = None
) -> dict[str, Any]:
    """Grid × category counts of the last ``days`` days against the ``days`` before, where
    the recent count reaches ``min_recent``; biggest increase first. One grouped query."""
    end = today or today_local()
    recent_start = end - timedelta(days=days - 1)
    before_start = recent_start - timedelta(days=days)
    mid, _high = day_bounds(recent_start, end)
    rows = list(
        _happenings(user)
        .filter(_since(before_start, end), grid__isnull=False)
        .values("grid_code", "category_id")
        .annotate(
            recent=Count("id", filter=Q(reported_at__gte=mid)),
            before=Count("id", filter=Q(reported_at__lt=mid)),
        )
        .filter(recent__gte=min_recent)
    )
    grids = _grid_names({r["grid_code"] for r in rows})
    categories = _category_names({r["category_id"] for r in rows})
    out = [
        {
            "grid_code": r["grid_code"],
            "grid": grids.get(r["grid_code"], r["grid_code"]),
            "category_id": r["category_id"],
            "category": categories.get(r["category_id"], str(r["category_id"])),
            "recent": r["recent"],
            "before": r["before"],
            "increase": r["recent"] - r["before"],
        }
        for r in rows
    ]
    out.sort(key=lambda r: (-r["increase"], -r["recent"], r["grid_code"], r["category"]))
    return {
        "recent_start": recent_start,
        "before_start": before_start,
        "before_end": recent_start - timedelta(days=1),
        "end": end,
        "rows": out,
    }


# ---------------------------------------------------------------------------- seasonality


def _month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def seasonality(
    user: Any, *, years: int = 3, by_minor: bool = False, today: date | None = None
) -> dict[str, Any]:
    """Cases per category and calendar month over the ``years`` whole years of months before
    the current month (each calendar month counted ``years`` times, so months compare fairly).
    By 大类 unless ``by_minor``. One grouped query."""
    end_month = (today or today_local()).replace(day=1)
    start_month = _month_add(end_month, -12 * years)
    key = F("category_id") if by_minor else Coalesce("category__parent_id", "category_id")
    rows = (
        _happenings(user)
        .filter(_since(start_month, end_month - timedelta(days=1)))
        .annotate(cat=key, month=TruncMonth("reported_at", tzinfo=local_tz()))
        .values("cat", "month")
        .annotate(n=Count("id"))
    )
    months = [_month_add(start_month, i) for i in range(12 * years)]
    series: dict[int, dict[date, int]] = defaultdict(dict)
    for r in rows:
        m = r["month"]
        day = m.astimezone(local_tz()).date() if isinstance(m, datetime) else m
        series[r["cat"]][day.replace(day=1)] = r["n"]
    names = _category_names(series)
    out: list[dict[str, Any]] = []
    for cat, counts in series.items():
        by_calendar = [0] * 12
        for month, n in counts.items():
            by_calendar[month.month - 1] += n
        total = sum(by_calendar)
        average = total / 12
        peak = max(by_calendar) or 1
        out.append(
            {
                "category_id": cat,
                "category": names.get(cat, str(cat)),
                "total": total,
                "average": round(average, 1),
                "cells": [
                    {
                        "month": i + 1,
                        "count": n,
                        "above": n > average,
                        # 0–4: how dark the heat-table cell is (a class, not an inline style).
                        "heat": 0 if n == 0 else 1 + min(3, int(4 * n / (peak + 1))),
                    }
                    for i, n in enumerate(by_calendar)
                ],
                "series": [counts.get(m, 0) for m in months],
            }
        )
    out.sort(key=lambda r: (-r["total"], r["category"]))
    return {
        "start": start_month,
        "end": end_month - timedelta(days=1),
        "months": months,
        "rows": out,
    }


# ---------------------------------------------------------------------- department rates

RATE_MEASURES = ("returned", "dispatched", "reworked", "disposed")


def department_rates(user: Any, *, months: int = 3, today: date | None = None) -> dict[str, Any]:
    """回退率 and 返工率 per department: the last ``months`` whole months against the
    ``months`` before, read from the facts (one grouped query, one for names). A rate whose
    denominator is zero is None and its change unknown; rows sort by the larger rise."""
    this_month = (today or today_local()).replace(day=1)
    recent_start = _month_add(this_month, -months)
    before_start = _month_add(this_month, -2 * months)
    end = this_month - timedelta(days=1)
    rows = (
        facts_for(user)
        .filter(
            measure__in=RATE_MEASURES,
            department__isnull=False,
            day__gte=before_start,
            day__lte=end,
        )
        .values("department_id", "measure")
        .order_by()
        .annotate(
            recent=Sum("value", filter=Q(day__gte=recent_start)),
            before=Sum("value", filter=Q(day__lt=recent_start)),
        )
    )
    sums: dict[int, dict[str, int]] = defaultdict(dict)
    for r in rows:
        sums[r["department_id"]][f"{r['measure']}_recent"] = int(r["recent"] or 0)
        sums[r["department_id"]][f"{r['measure']}_before"] = int(r["before"] or 0)
    names = labels("department", sums)

    def change(now: float | None, then: float | None) -> float | None:
        return None if now is None or then is None else round(now - then, 2)

    out: list[dict[str, Any]] = []
    for dept, v in sums.items():

        def g(k: str, v: dict[str, int] = v) -> int:
            return v.get(k, 0)

        ret_now, ret_then = (
            rate(g("returned_recent"), g("dispatched_recent")),
            rate(g("returned_before"), g("dispatched_before")),
        )
        rew_now, rew_then = (
            rate(g("reworked_recent"), g("disposed_recent")),
            rate(g("reworked_before"), g("disposed_before")),
        )
        row: dict[str, Any] = {
            "department_id": dept,
            "department": names.get(dept, str(dept)),
            "returned": g("returned_recent"),
            "dispatched": g("dispatched_recent"),
            "returned_before": g("returned_before"),
            "dispatched_before": g("dispatched_before"),
            "return_rate": ret_now,
            "return_rate_before": ret_then,
            "return_change": change(ret_now, ret_then),
            "reworked": g("reworked_recent"),
            "disposed": g("disposed_recent"),
            "reworked_before": g("reworked_before"),
            "disposed_before": g("disposed_before"),
            "rework_rate": rew_now,
            "rework_rate_before": rew_then,
            "rework_change": change(rew_now, rew_then),
        }
        known = [c for c in (change(ret_now, ret_then), change(rew_now, rew_then)) if c is not None]
        row["rise"] = max(known) if known else None
        out.append(row)
    out.sort(key=lambda r: (r["rise"] is None, -(r["rise"] or 0), r["department"]))
    return {
        "recent_start": recent_start,
        "before_start": before_start,
        "before_end": recent_start - timedelta(days=1),
        "end": end,
        "rows": out,
    }


# ------------------------------------------------------------------------- falling grids

COVERAGE_MONTHS = 6
COMPLETENESS_CACHE_SECONDS = 300


def _completeness_scores(user: Any) -> dict[str, dict[str, int]]:
    """Today's ledger completeness per grid from the registry's audit (its one definition).
    The audit runs seven aggregate queries over every ledger row of the jurisdiction, so its
    per-grid scores are kept for a few minutes per viewer and scope."""
    from civicgrid.registry.selectors import completeness

    key = "analysis:completeness:{}:{}:{}".format(
        user.pk, user.role, ",".join(sorted(getattr(user, "scope_codes", []) or []))
    )
    found = cache.get(key)
    if found is None:
        audit = completeness(user)
        found = {
            row.code: {"score": row.score, "gaps": row.gaps, "checks": row.checks}
            for row in audit["grids"]
        }
        cache.set(key, found, COMPLETENESS_CACHE_SECONDS)
    return found


def falling_grids(
    user: Any, *, days_ago: int = 30, window: int = 30, today: date | None = None
) -> dict[str, Any]:
    """Per grid: visit coverage (households visited at least once in the ``window`` days up
    to a day ÷ the grid's current households) today and ``days_ago`` days ago, and month by
    month for the last six months; ledger completeness today against the stored snapshot of
    the comparison window (``CompletenessSnapshot``, the newest one in it) and month by month
    (each month's last snapshot). Grids whose coverage or completeness fell most come first.
    The coverage denominator is today's household count for every point of the trend:
    households are not kept per day."""
    from civicgrid.fieldwork.models import Visit
    from civicgrid.registry.models import Household

    end = today or today_local()
    now_start = end - timedelta(days=window - 1)
    then_end = end - timedelta(days=days_ago)
    then_start = then_end - timedelta(days=window - 1)
    first_month = _month_add(end.replace(day=1), -(COVERAGE_MONTHS - 1))
    months = [_month_add(first_month, i) for i in range(COVERAGE_MONTHS)]
    earliest = min(then_start, first_month)

    def visited(low: date, high: date) -> Count:
        lo, hi = day_bounds(low, high)
        return Count("household_id", distinct=True, filter=Q(visited_at__gte=lo, visited_at__lt=hi))

    month_columns = {
        f"m{i}": visited(m, _month_add(m, 1) - timedelta(days=1)) for i, m in enumerate(months)
    }
    lo, hi = day_bounds(earliest, end)
    visits = {
        r["grid_code"]: r
        for r in Visit.objects.visible_to(user)
        .filter(visited_at__gte=lo, visited_at__lt=hi, household__isnull=False)
        .values("grid_code")
        .order_by()
        .annotate(now=visited(now_start, end), then=visited(then_start, then_end), **month_columns)
    }
    households = dict(
        Household.objects.visible_to(user)
        .current()
        .values("grid_code")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("grid_code", "n")
    )
    reads_ledgers = user.reads("ledgers")
    scores = _completeness_scores(user) if reads_ledgers else {}
    before = latest_before(user, then_start, then_end) if reads_ledgers else {}
    monthly_completeness = monthly_scores(user, months, end) if reads_ledgers else {}
    codes = set(households) | set(scores)
    names = _grid_names(codes)

    def share(n: int, total: int) -> float | None:
        return rate(n, total)

    out: list[dict[str, Any]] = []
    for code in sorted(codes):
        total = households.get(code, 0)
        v = visits.get(code, {})
        now, then = share(v.get("now", 0), total), share(v.get("then", 0), total)
        score = scores.get(code)
        completeness = score["score"] if score else None
        completeness_before = before.get(code)
        out.append(
            {
                "grid_code": code,
                "grid": names.get(code, code),
                "households": total,
                "coverage": now,
                "coverage_before": then,
                "coverage_change": None if now is None or then is None else round(now - then, 2),
                "monthly": [share(v.get(f"m{i}", 0), total) for i in range(len(months))],
                "completeness": completeness,
                "gaps": score["gaps"] if score else None,
                "completeness_before": completeness_before,
                "completeness_change": (
                    None
                    if completeness is None or completeness_before is None
                    else completeness - completeness_before
                ),
                "completeness_monthly": monthly_completeness.get(code, [None] * len(months)),
            }
        )

    def worst_fall(r: dict[str, Any]) -> float | None:
        changes = [c for c in (r["coverage_change"], r["completeness_change"]) if c is not None]
        return min(changes) if changes else None

    out.sort(
        key=lambda r: (
            worst_fall(r) is None,
            worst_fall(r) or 0,
            r["completeness"] if r["completeness"] is not None else 101,
            r["grid_code"],
        )
    )
    return {
        "now_start": now_start,
        "end": end,
        "then_start": then_start,
        "then_end": then_end,
        "months": months,
        "rows": out,
    }
