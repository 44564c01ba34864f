"""The command-centre screen (指挥大屏): what each panel shows, assembled for one user.

Every figure is read inside the user's jurisdiction (docs/architecture.md "One way in"):
counts and trends from the assessment fact table (``assessment.selectors`` over
``facts_for(user)``), the live parts from open cases only (``Case.objects.visible_to(user)``),
population from the ledgers the user reads. Nothing here scans the case history:

- history (30-day trend, categories, department rates, rankings, satisfaction) comes from
  ``DailyFact`` rows, one per day × place × category × department, whatever the case count;
- today and yesterday are counted live from that day's ``CaseEvent`` rows with the very
  definitions the rollup uses (``assessment.measures``), through the index on ``at``;
- open and overdue cases per grid, and the overdue board, read open cases only, through the
  ``(status, grid_code)`` and ``(stage, stage_due_at)`` indexes;
- the heat layer reads the last 30 days' reports per cell (≈ 100 m for a street, ≈ 1 km for
  a district or the city) from the nightly heat rollup plus today's reports live, and sends
  at most ``HEAT_CELLS`` cells; it and the population panel are cached per jurisdiction.

Each panel is built on its own: when one fails the others still answer and the page shows
数据暂不可用 in that panel alone. Population panels are aggregates only, and a cell of fewer
than ``SMALL_CELL`` people is sent as "<5" without its number (rule 3: nobody is recognisable
from the wall).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts.choices import Role
from civicgrid.cases.models import Case
from civicgrid.cases.presenters import present_row
from civicgrid.core.scoping import prefix_q, scope_key
from civicgrid.geo.choices import LENGTH_BY_LEVEL
from civicgrid.geo.choices import Level as RegionLevel
from civicgrid.geo.models import Grid, Region

logger = logging.getLogger(__name__)

# Who watches the screen: the command centre, the community leaders for their community, and
# the system administrator. Departments, residents, grid workers and the auditor do not.
SCREEN_ROLES = frozenset({Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.SYSADMIN})

UNAVAILABLE = gettext_lazy("数据暂不可用")
# Fewer people than this in a population cell are shown as "<5" (and their number withheld).
SMALL_CELL = 5
TREND_DAYS = 30
TOP_CATEGORIES = 10
OVERDUE_ROWS = 12
RANK_ROWS = 5
HEAT_CELLS = 3000
# Ledgers and 30-day reports change slowly: their panels are cached for a few minutes.
SLOW_CACHE_SECONDS = 300
GRID_CODE_LENGTH = 15
COMMUNITY_CODE_LENGTH = LENGTH_BY_LEVEL[RegionLevel.COMMUNITY]
AGE_BAND = 5
OLDEST_BAND = 85  # 85+ is one band

PANELS = (
    "intake",
    "trend",
    "categories",
    "map",
    "overdue",
    "departments",
    "ranking",
    "population",
    "field",
)


@dataclass(frozen=True)
class Clock:
    now: datetime
    today: date

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)

    @property
    def start(self) -> date:
        """First day of the last ``TREND_DAYS`` days, today included."""
        return self.today - timedelta(days=TREND_DAYS - 1)


# --- jurisdiction ---------------------------------------------------------------------------


def _codes(user: Any) -> list[str] | None:
    """The user's code prefixes, or None for everything (the superuser)."""
    return None if user.sees_everything else list(user.scope_codes)


def _in_scope(field: str, user: Any) -> Q:
    codes = _codes(user)
    return Q() if codes is None else prefix_q(field, codes)


def _slow(kind: str, user: Any, clock: Clock, build: Callable[[], Any], *extra: Any) -> Any:
    """``build()`` cached per jurisdiction and day for ``SLOW_CACHE_SECONDS``: facts change
    only when the rollup runs, ledgers slowly; the minute's refresh then costs only the live
    parts. What is cached carries the time it was computed as its ``as_of``."""
    key = f"screen:{kind}:{scope_key(user, clock.today, *extra)}"
    value = cache.get(key)
    if value is None:
        value = build()
        if isinstance(value, dict):
            value = {**value, "as_of": clock.now.isoformat()}
        cache.set(key, value, SLOW_CACHE_SECONDS)
    return value


def jurisdiction_label(user: Any) -> str:
    codes = _codes(user)
    if codes is None:
        return str(_("全部辖区"))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "short_name"))
    names.update(
        Grid.objects.filter(code__in=[c for c in codes if len(c) == 15]).values_list("code", "name")
    )
    return "、".join(names.get(c, c) for c in codes) or str(_("未分配管辖范围"))


def _rank_level(user: Any) -> str:
    """Rank communities for a district or the city, grids for a street or narrower."""
    codes = _codes(user)
    if codes is None or any(len(c) < 9 for c in codes):
        return "community"
    return "grid"


# --- live counts with the rollup's definitions ---------------------------------------------


def _live_count(user: Any, measure: str, day: date) -> int:
    """How often ``measure`` happened on ``day`` in the jurisdiction, counted from that day's
    events with the same definition the rollup writes into the fact table."""
    from civicgrid.assessment.measures import MEASURES

    total = 0
    for part in MEASURES[measure].parts:
        total += part.rows(day, day).filter(_in_scope(part.region, user)).count()
    return total


def intake(user: Any, clock: Clock) -> dict[str, Any]:
    today = {m: _live_count(user, m, clock.today) for m in ("reported", "closed")}
    yesterday = {m: _live_count(user, m, clock.yesterday) for m in ("reported", "closed")}
    return {
        "items": [
            {
                "key": m,
                "label": str(label),
                "today": today[m],
                "yesterday": yesterday[m],
                "delta": today[m] - yesterday[m],
            }
            for m, label in (("reported", _("今日受理")), ("closed", _("今日结案")))
        ]
    }


def trend(user: Any, clock: Clock) -> dict[str, Any]:
    """Reported vs closed per day over the last 30 days: the fact table up to yesterday
    (cached until the next few minutes), today counted live (the rollup has not written it)."""
    from civicgrid.assessment.selectors import daily_series

    measures = (("reported", _("上报")), ("closed", _("结案")))

    def history() -> dict[str, Any]:
        return {
            m: [v for _day, v in daily_series(user, m, clock.start, clock.yesterday)]
            for m, _label in measures
        }

    past = _slow("trend", user, clock, history)
    days = [clock.start + timedelta(days=i) for i in range(TREND_DAYS)]
    return {
        "days": [d.isoformat() for d in days],
        "series": [
            {
                "key": m,
                "label": str(label),
                "values": [int(v) for v in past[m]] + [_live_count(user, m, clock.today)],
            }
            for m, label in measures
        ],
    }


def categories(user: Any, clock: Clock) -> dict[str, Any]:
    return dict(_slow("categories", user, clock, lambda: _categories(user, clock)))


def _categories(user: Any, clock: Clock) -> dict[str, Any]:
    from civicgrid.assessment.selectors import totals_by

    rows = totals_by(user, "reported", clock.start, clock.today, by="category")
    rows = sorted(rows, key=lambda r: -int(r["value"]))
    # The selector labels a category "0102 暴露垃圾"; the wall shows the name alone.
    top = [
        {"label": str(r["label"]).split(" ", 1)[-1], "value": int(r["value"])}
        for r in rows[:TOP_CATEGORIES]
    ]
    rest = sum(int(r["value"]) for r in rows[TOP_CATEGORIES:])
    if rest:
        top.append({"label": str(_("其他")), "value": rest})
    return {"rows": top}


def departments(user: Any, clock: Clock) -> dict[str, Any]:
    return dict(_slow("departments", user, clock, lambda: _departments(user, clock)))


def _departments(user: Any, clock: Clock) -> dict[str, Any]:
    from civicgrid.assessment.selectors import rate_by

    rows = rate_by(user, "disposed_on_time", "disposed", clock.start, clock.today, by="department")
    out: list[dict[str, Any]] = [
        {
            "label": str(r["label"]),
            "rate": None if r["rate"] is None else round(float(r["rate"]), 1),
            "numerator": int(r["numerator"]),
            "denominator": int(r["denominator"]),
        }
        for r in rows
        if r["denominator"]
    ]
    out.sort(key=lambda r: (-(r["rate"] or 0), r["label"]))
    return {"rows": out[:12]}


# --- live: open cases -----------------------------------------------------------------------


def _grid_case_counts(user: Any, now: datetime) -> dict[str, dict[str, int]]:
    """Open and overdue cases per grid code: two GROUP BY queries over open cases only."""
    visible = Case.objects.visible_to(user).order_by()
    figures: dict[str, dict[str, int]] = {}
    for key, qs in (("open", visible.open()), ("overdue", visible.overdue(now))):
        for code, n in (
            qs.values_list("grid_code").annotate(n=Count("id")).values_list("grid_code", "n")
        ):
            figures.setdefault(code, {"open": 0, "overdue": 0})[key] = n
    return figures


def _satisfaction_by_grid(user: Any, clock: Clock) -> dict[str, dict[str, Any]]:
    """满意率 per grid over the last 30 days, straight from the viewer's facts grouped by their
    region code (a grid's facts carry its code): the map needs no names, so this skips the
    label lookup ``rate_by`` does for every grid."""
    from civicgrid.assessment.selectors import facts_for

    sums: dict[str, dict[str, int]] = {}
    rows = (
        facts_for(user)
        .filter(day__gte=clock.start, day__lte=clock.today, measure__in=["satisfied", "evaluated"])
        .values_list("region_code", "measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    for code, measure, total in rows:
        if len(code) == GRID_CODE_LENGTH:
            sums.setdefault(code, {})[measure] = int(total)
    out = {}
    for code, values in sums.items():
        evaluated = values.get("evaluated", 0)
        satisfied = values.get("satisfied", 0)
        out[code] = {
            "satisfaction": round(100 * satisfied / evaluated, 1) if evaluated else None,
            "evaluated": evaluated,
            "satisfied": satisfied,
        }
    return out


def _cells(qs: Any, since: datetime, digits: int) -> dict[tuple[int, int], int]:
    """Reports since ``since`` per cell (``digits`` decimals of a degree, as integers)."""
    from civicgrid.assessment.rollup import cell_counts

    scale = 10**digits
    return {
        (round(float(a) * scale), round(float(b) * scale)): n
        for a, b, n in cell_counts(qs.filter(reported_at__gte=since), digits)
    }


def _heat_digits(user: Any) -> int:
    """≈ 1 km cells for a district or the city (a wall tens of kilometres across), ≈ 100 m
    for a street or narrower."""
    from civicgrid.assessment.models import LEVEL_CODE_LENGTH, Level

    codes = _codes(user)
    district = LEVEL_CODE_LENGTH[Level.DISTRICT]
    return 2 if codes is None or any(len(c) <= district for c in codes) else 3


def _heat(user: Any, clock: Clock) -> list[list[float]]:
    """Reports of the last 30 days (today included, as the trend) per cell, the busiest
    ``HEAT_CELLS`` cells as ``[lat, lng, count]``; cached per jurisdiction.

    The finished days come from the nightly heat rollup (``assessment.HeatCell``) when it has
    counted exactly this window, and only today's reports are grouped live; without it (the
    rollup has not run since yesterday) the whole window is grouped live from ``Case``."""
    from civicgrid.assessment.measures import day_bounds
    from civicgrid.assessment.models import HeatCell
    from civicgrid.assessment.rollup import heat_window

    key = f"screen:heat:{scope_key(user, clock.today)}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    digits = _heat_digits(user)
    first_day, last_day = heat_window(clock.today)
    window = HeatCell.objects.filter(first_day=first_day, last_day=last_day, digits=digits)
    cases = Case.objects.visible_to(user)
    if window.exists():
        # The busiest cells only, ranked in the database: a street holds tens of thousands.
        # A cell just below the cut that today's reports would lift above it is missed; the
        # cut is at the faintest spots the layer draws.
        counts: dict[tuple[int, int], int] = {
            (lat, lng): n
            for lat, lng, n in window.visible_to(user)
            .order_by()
            .values_list("lat_cell", "lng_cell")
            .annotate(n=Sum("reports"))
            .order_by("-n", "lat_cell", "lng_cell")[:HEAT_CELLS]
        }
        for cell, n in _cells(cases, day_bounds(clock.today, clock.today)[0], digits).items():
            counts[cell] = counts.get(cell, 0) + n
    else:
        counts = _cells(cases, day_bounds(first_day, first_day)[0], digits)
    busiest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:HEAT_CELLS]
    scale = 10**digits
    points = [[lat / scale, lng / scale, n] for (lat, lng), n in busiest]
    cache.set(key, points, SLOW_CACHE_SECONDS)
    return points


def grid_map(user: Any, clock: Clock, *, grids_under: str | None = None) -> dict[str, Any]:
    """Figures per grid and per community, and the heat layer. With ``grids_under`` (a wall
    drawn by community: screen_views.COMMUNITY_MAP_ABOVE) only the grids under that code are
    sent ("" for none): a city's 25,000 grid figures were 2.2 MB a minute, for a map that
    shows one community's grids at a time."""
    counts = _grid_case_counts(user, clock.now)
    try:
        cached = _slow("satisfaction", user, clock, lambda: _satisfaction_by_grid(user, clock))
        satisfaction = {code: row for code, row in cached.items() if code != "as_of"}
    except Exception:  # the choropleth still shows open/overdue without the fact table
        logger.exception("screen: satisfaction by grid unavailable")
        satisfaction = {}
    grids: dict[str, dict[str, Any]] = {}
    # A wide jurisdiction's wall draws communities (screen_views.COMMUNITY_MAP_ABOVE): their
    # figures are their grids' summed, satisfaction over all their grids' evaluations.
    communities: dict[str, dict[str, Any]] = {}
    for code in set(counts) | set(satisfaction):
        row = {"open": 0, "overdue": 0, "satisfaction": None, "evaluated": 0}
        row.update(counts.get(code, {}))
        row.update(satisfaction.get(code, {}))
        satisfied = row.pop("satisfied", 0)
        grids[code] = row
        total = communities.setdefault(
            code[:COMMUNITY_CODE_LENGTH],
            {"open": 0, "overdue": 0, "evaluated": 0, "satisfied": 0},
        )
        total["open"] += row["open"]
        total["overdue"] += row["overdue"]
        total["evaluated"] += row["evaluated"]
        total["satisfied"] += satisfied
    for total in communities.values():
        satisfied = total.pop("satisfied")
        evaluated = total["evaluated"]
        total["satisfaction"] = round(100 * satisfied / evaluated, 1) if evaluated else None
    if grids_under is not None:
        grids = {
            code: row for code, row in grids.items() if grids_under and code.startswith(grids_under)
        }
    return {
        "grids": grids,
        "grids_under": grids_under,
        "communities": communities,
        "heat": _heat(user, clock),
        "case_list_url": reverse("cases:list"),
    }


def _overdue_by(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return str(_("%(d)s天%(h)s小时") % {"d": days, "h": hours})
    if hours:
        return str(_("%(h)s小时%(m)s分") % {"h": hours, "m": mins})
    return str(_("%(m)s分钟") % {"m": max(mins, 1)})


def overdue(user: Any, clock: Clock) -> dict[str, Any]:
    """The most overdue open cases (oldest stage deadline first), through the case list
    presenter: number, category, grid and how long overdue; no description, place or person."""
    visible = Case.objects.visible_to(user)
    cases = list(
        visible.overdue(clock.now)
        .with_list_relations()
        .order_by("stage_due_at", "id")[:OVERDUE_ROWS]
    )
    rows = []
    for case in cases:
        row = present_row(case, now=clock.now)
        due = row["stage_due_at"]
        rows.append(
            {
                "number": row["number"],
                "category": row["category_name"],
                "grid": row["grid_name"] or row["grid_code"],
                "status": str(row["status_label"]),
                "overdue_by": _overdue_by((clock.now - due).total_seconds()),
                "overdue_seconds": int((clock.now - due).total_seconds()),
                "url": reverse("cases:detail", args=[row["id"]]),
            }
        )
    return {"rows": rows, "total": visible.overdue(clock.now).count()}


# --- rankings -------------------------------------------------------------------------------


def _last_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def ranking(user: Any, clock: Clock) -> dict[str, Any]:
    return dict(_slow("ranking", user, clock, lambda: _ranking(user, clock)))


def _ranking(user: Any, clock: Clock) -> dict[str, Any]:
    """Tops and bottoms: the weighted score of the last closed month when it was computed,
    else 按期结案率 over the last 30 days from the fact table."""
    from civicgrid.assessment.models import PeriodResult

    level = _rank_level(user)
    month = _last_month(clock.today)
    results = list(
        PeriodResult.objects.filter(
            _in_scope("region_code", user),
            period_kind="month",
            period_start=month,
            level=level,
            indicator=PeriodResult.TOTAL,
            score__isnull=False,
        )
        .order_by("-score", "subject_key")
        .values_list("subject_label", "subject_key", "score")
    )
    if results:
        rows: list[dict[str, Any]] = [
            {"label": label or key, "value": round(score or 0.0, 1)}
            for label, key, score in results
        ]
        basis = str(_("%(year)s年%(month)s月综合得分") % {"year": month.year, "month": month.month})
        unit = str(_("分"))
    else:
        from civicgrid.assessment.selectors import rate_by

        # 按期结案率 as the assessment defines it: closed_on_time / (due_to_close − deferred).
        found = rate_by(
            user,
            "closed_on_time",
            ["due_to_close", "-deferred"],
            clock.start,
            clock.today,
            by=level,
        )
        rows = [
            {"label": str(r["label"]), "value": round(float(r["rate"]), 1)}
            for r in found
            if r["denominator"] and r["rate"] is not None
        ]
        rows.sort(key=lambda r: (-r["value"], r["label"]))
        basis = str(_("近30天按期结案率"))
        unit = "%"
    half = min(RANK_ROWS, (len(rows) + 1) // 2)
    return {
        "level": level,
        "level_label": str(_("社区") if level == "community" else _("网格")),
        "basis": basis,
        "unit": unit,
        "top": rows[:half],
        "bottom": list(reversed(rows[half:]))[:RANK_ROWS] if len(rows) > half else [],
    }


# --- population (aggregates only) -----------------------------------------------------------


def _cell(n: int) -> dict[str, Any]:
    """A count as shown: a small cell loses its number."""
    if 0 < n < SMALL_CELL:
        return {"value": None, "display": f"<{SMALL_CELL}"}
    return {"value": n, "display": f"{n:,}"}


def _breakdown(counts: list[int]) -> list[dict[str, Any]]:
    """Cells of a breakdown whose total is shown. One withheld cell alone could be worked out
    as the total minus the others, so the smallest shown cell is withheld with it
    (complementary suppression); it reads "—"."""
    cells = [_cell(n) for n in counts]
    small = [i for i, n in enumerate(counts) if 0 < n < SMALL_CELL]
    shown = [i for i, n in enumerate(counts) if n >= SMALL_CELL]
    if len(small) == 1 and shown:
        cells[min(shown, key=lambda i: counts[i])] = {"value": None, "display": "—"}
    return cells


def _band(age: int) -> int:
    return min(max(age, 0) // AGE_BAND * AGE_BAND, OLDEST_BAND)


def _band_label(start: int) -> str:
    return f"{start}+" if start >= OLDEST_BAND else f"{start}-{start + AGE_BAND - 1}"


def _counted_population(user: Any) -> tuple[Iterable[tuple[Any, ...]], Iterable[tuple[Any, ...]]]:
    """(birth year, sex, residency, people) and (group name, order, people), counted now."""
    from civicgrid.registry.choices import PersonStatus
    from civicgrid.registry.models import Person, PersonTag

    people = Person.objects.visible_to(user).living_here().order_by()
    # One GROUP BY gives the pyramid and the residency mix: ages are read from the birth year
    # (a band is five years wide, so a birthday later in the year moves nobody far).
    # Count("*"), not Count("id"): the covering index registry_person_population has no id.
    groups = people.values_list("birth_date__year", "sex", "residency").annotate(n=Count("*"))
    # Sensitive kinds exist only for holders of the special-groups permission
    # (PersonTag.objects.visible_to); the cache key carries that permission.
    tags = (
        PersonTag.objects.visible_to(user)
        .active()
        .filter(person__status=PersonStatus.LIVING, person__retired_on__isnull=True)
        .order_by()
        .values_list("kind__name", "kind__order")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("kind__name", "kind__order", "n")
    )
    return groups.values_list("birth_date__year", "sex", "residency", "n"), tags


def _population(
    groups: Iterable[tuple[Any, ...]], tags: Iterable[tuple[Any, ...]], today: date
) -> dict[str, Any]:
    from civicgrid.registry.choices import Residency, Sex

    pyramid: dict[tuple[int, str], int] = {}
    residency: dict[str, int] = {}
    total = unknown_age = 0
    for year, sex, kind, n in groups:
        total += n
        residency[kind] = residency.get(kind, 0) + n
        if year is None or sex not in (Sex.MALE, Sex.FEMALE):
            unknown_age += n
            continue
        band = _band(today.year - year)
        pyramid[(band, sex)] = pyramid.get((band, sex), 0) + n
    bands = list(range(0, OLDEST_BAND + 1, AGE_BAND))
    # The pyramid (both sexes and the unknown) and the residency mix each add up to the total.
    ages = _breakdown(
        [pyramid.get((b, Sex.MALE), 0) for b in bands]
        + [pyramid.get((b, Sex.FEMALE), 0) for b in bands]
        + [unknown_age]
    )
    kinds = _breakdown([residency.get(value, 0) for value in Residency.values])
    return {
        "total": _cell(total),
        "bands": [_band_label(b) for b in bands],
        "male": ages[: len(bands)],
        "female": ages[len(bands) : 2 * len(bands)],
        "unknown_age": ages[-1],
        "residency": [
            {"label": str(label), **cell}
            for (_value, label), cell in zip(Residency.choices, kinds, strict=True)
        ],
        "groups": [
            {"label": name, **_cell(n)}
            for name, _order, n in sorted(tags, key=lambda t: (t[1], t[0]))
        ],
    }


def population(user: Any, clock: Clock) -> dict[str, Any]:
    from civicgrid.assessment.population import stored_population
    from civicgrid.registry.querysets import sees_special_groups

    if not user.reads("ledgers"):
        return {
            "total": _cell(0),
            "bands": [],
            "male": [],
            "female": [],
            "residency": [],
            "groups": [],
        }
    key = f"screen:population:{scope_key(user, sees_special_groups(user), clock.today)}"
    cached = cache.get(key)
    if cached is None:
        # A street's or wider population is last night's (counting a city's 10 M people took
        # 5.5 s warm, a minute cold); a community's is counted now.
        stored = stored_population(user, clock.today)
        if stored is not None:
            figures = _population(stored.groups, stored.tags, clock.today)
            cached = {**figures, "as_of": stored.counted_at.isoformat(), "night": True}
        else:
            figures = _population(*_counted_population(user), clock.today)
            cached = {**figures, "as_of": clock.now.isoformat()}
        cache.set(key, cached, SLOW_CACHE_SECONDS)
    return dict(cached)


# --- field work -----------------------------------------------------------------------------


def field(user: Any, clock: Clock) -> dict[str, Any]:
    from civicgrid.fieldwork.choices import ComplianceStatus
    from civicgrid.fieldwork.compliance import day_bounds
    from civicgrid.fieldwork.models import DailyCompliance, Patrol
    from civicgrid.fieldwork.selectors import kept_overdue_counts

    start, end = day_bounds(clock.today)
    patrols = Patrol.objects.visible_to(user).filter(started_at__gte=start, started_at__lt=end)
    today = patrols.aggregate(
        patrols=Count("id"),
        workers=Count("worker_id", distinct=True),
        on_patrol=Count("worker_id", distinct=True, filter=Q(ended_at__isnull=True)),
    )
    verdicts = (
        DailyCompliance.objects.visible_to(user)
        .filter(day=clock.yesterday)
        .aggregate(
            due=Count("id"), compliant=Count("id", filter=Q(status=ComplianceStatus.COMPLIANT))
        )
    )
    late = 0
    if user.reads("ledgers"):
        late = sum(kept_overdue_counts(user, clock.today)[0].values())
    rate = round(verdicts["compliant"] * 100 / verdicts["due"], 1) if verdicts["due"] else None
    return {
        "patrols_today": today["patrols"],
        "workers_today": today["workers"],
        "on_patrol": today["on_patrol"],
        "compliance_due": verdicts["due"],
        "compliance_ok": verdicts["compliant"],
        "compliance_rate": rate,
        "overdue_visits": late,
    }


BUILDERS: dict[str, Callable[[Any, Clock], dict[str, Any]]] = {
    "intake": intake,
    "trend": trend,
    "categories": categories,
    "map": grid_map,
    "overdue": overdue,
    "departments": departments,
    "ranking": ranking,
    "population": population,
    "field": field,
}


def screen_data(
    user: Any,
    panels: list[str] | None = None,
    *,
    now: datetime | None = None,
    grids_under: str | None = None,
) -> dict[str, Any]:
    """The panels asked for (all by default) for ``user``; each either its data with
    ``ok: true`` and its ``as_of`` time, or ``ok: false`` and a message to show.
    ``grids_under``: see ``grid_map``."""
    now = now or timezone.now()
    clock = Clock(now=now, today=timezone.localdate(now))
    out: dict[str, Any] = {"as_of": now.isoformat(), "panels": {}}
    for name in panels or PANELS:
        try:
            # A failed query must not poison the request's transaction on PostgreSQL.
            with transaction.atomic():
                if name == "map":
                    data = grid_map(user, clock, grids_under=grids_under)
                else:
                    data = BUILDERS[name](user, clock)
        except Exception:
            logger.exception("screen panel %s failed", name)
            out["panels"][name] = {"ok": False, "error": str(UNAVAILABLE)}
            continue
        data.setdefault("as_of", now.isoformat())
        out["panels"][name] = {"ok": True, **data}
    return out
