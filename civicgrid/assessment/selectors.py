"""Reads over the facts, always narrowed to the viewer's jurisdiction (docs/architecture.md
"One way in" and "Assessment"). The command-centre screen, the ranking pages and the API call
these; nobody reads ``DailyFact`` another way.

Who sees which figures:

- command centre, community secretary and cadre, system administrator: the facts of places
  under their code prefixes (every person and department working there);
- a department handler: the facts about their own department only;
- a grid worker: the facts attributed to themselves only (their reports, checks, patrols,
  visits, and the 漏报 of their grid), not the figures of their colleagues;
- residents, auditors, the security administrator: nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.assessment.models import LEVEL_CODE_LENGTH, CommunityDailyFact, DailyFact, Level
from civicgrid.cases.models import Category
from civicgrid.core.scoping import prefix_q
from civicgrid.geo.models import Grid, Region

# Roles that read assessment figures at all (each narrowed as above).
ASSESSMENT_READERS = frozenset(
    {
        Role.SYSADMIN,
        Role.COMMAND,
        Role.SECRETARY,
        Role.CADRE,
        Role.GRID_WORKER,
        Role.DEPARTMENT,
    }
)
BY_CHOICES = ("category", "department", "grid", "community", "street", "district", "worker")
# Groupings the per-community summary can answer (it has no grid and no person).
SUMMARY_BY = frozenset({None, "category", "department", "community", "street", "district"})

Terms = str | Sequence[str]


def facts_for(user: Any) -> QuerySet[DailyFact]:
    facts = DailyFact.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return facts.none()
    if user.sees_everything:
        return facts
    if user.role not in ASSESSMENT_READERS:
        return facts.none()
    if user.role == Role.DEPARTMENT:
        if user.department_id is None:
            return facts.none()
        return facts.filter(department_id=user.department_id)
    if user.role == Role.GRID_WORKER:
        return facts.filter(worker_id=user.pk)
    return facts.filter(prefix_q("region_code", user.scope_codes))


def _summary_for(user: Any) -> QuerySet[CommunityDailyFact] | None:
    """``CommunityDailyFact`` narrowed exactly as ``facts_for`` narrows the facts, or None when
    the viewer's facts are finer than a community: a grid worker's own, or a place viewer
    holding a grid's code."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    summary = CommunityDailyFact.objects.all()
    if user.sees_everything:
        return summary
    if user.role not in ASSESSMENT_READERS or user.role == Role.GRID_WORKER:
        return None
    if user.role == Role.DEPARTMENT:
        if user.department_id is None:
            return None
        return summary.filter(department_id=user.department_id)
    codes = list(user.scope_codes)
    if any(len(code) > LEVEL_CODE_LENGTH[Level.COMMUNITY] for code in codes):
        return None
    return summary.filter(prefix_q("region_code", codes))


def _source(user: Any, by: str | None = None) -> QuerySet[Any]:
    """Where a sum over the viewer's facts is read: the per-community summary when it gives
    the same answer (the grouping needs no grid or person, and the viewer's facts are whole
    communities), else the facts themselves. A month of a city is then thousands of rows."""
    summary = _summary_for(user) if by in SUMMARY_BY else None
    return facts_for(user) if summary is None else summary


def signed_terms(terms: Terms) -> list[tuple[int, str]]:
    """ "a" or ["a", "-b"] → [(1, "a"), (-1, "b")]."""
    items = [terms] if isinstance(terms, str) else list(terms)
    return [(-1, t[1:]) if t.startswith("-") else (1, t) for t in items]


def _in_period(facts: QuerySet[Any], start: date, end: date) -> QuerySet[Any]:
    return facts.filter(day__gte=start, day__lte=end)


def daily_series(user: Any, measure: str, start: date, end: date) -> list[tuple[date, int]]:
    """One (day, total) per day of [start, end], zeros filled."""
    rows = (
        _in_period(_source(user), start, end)
        .filter(measure=measure)
        .values("day")
        .order_by()
        .annotate(total=Sum("value"))
    )
    found = {r["day"]: r["total"] for r in rows}
    out = []
    day = start
    while day <= end:
        out.append((day, int(found.get(day, 0))))
        day += timedelta(days=1)
    return out


def _grouped(facts: QuerySet[Any], by: str) -> QuerySet[Any]:
    if by not in BY_CHOICES:
        raise ValueError(f"unknown grouping {by!r}")
    if by == "category":
        return facts.filter(category__isnull=False).annotate(key=F("category_id"))
    if by == "department":
        return facts.filter(department__isnull=False).annotate(key=F("department_id"))
    if by == "worker":
        return facts.filter(worker__isnull=False).annotate(key=F("worker_id"))
    n = LEVEL_CODE_LENGTH[Level(by)]
    return (
        facts.annotate(code_len=Length("region_code"))
        .filter(code_len__gte=n)
        .annotate(key=Substr("region_code", 1, n))
    )


def _sums(
    user: Any, measures: Iterable[str], start: date, end: date, by: str
) -> dict[tuple[Any, str], int]:
    rows = (
        _grouped(_in_period(_source(user, by), start, end).filter(measure__in=list(measures)), by)
        .values("key", "measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    return {(r["key"], r["measure"]): int(r["total"]) for r in rows}


def labels(by: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if by == "category":
        return {c.pk: f"{c.code} {c.name}" for c in Category.objects.filter(pk__in=keys)}
    if by == "department":
        return {d.pk: d.name for d in Department.objects.filter(pk__in=keys)}
    if by == "worker":
        return {u.pk: str(u) for u in User.objects.filter(pk__in=keys)}
    # Names only: a ranking of hundreds of places must not load each one's outline.
    if by == "grid":
        return dict(Grid.objects.filter(code__in=keys).values_list("code", "name"))
    return {
        code: short_name or name
        for code, short_name, name in Region.objects.filter(code__in=keys).values_list(
            "code", "short_name", "name"
        )
    }


def totals_by(user: Any, measure: str, start: date, end: date, by: str) -> list[dict[str, Any]]:
    """[{key, label, value}] for one measure, biggest first."""
    sums = _sums(user, [measure], start, end, by)
    names = labels(by, [k for k, _m in sums])
    out = [
        {"key": key, "label": names.get(key, str(key)), "value": value}
        for (key, _m), value in sums.items()
        if value
    ]
    out.sort(key=lambda r: (-r["value"], str(r["key"])))
    return out


def combine(terms: Terms, values: dict[str, int]) -> int:
    return sum(sign * values.get(code, 0) for sign, code in signed_terms(terms))


def rate(numerator: int, denominator: int) -> float | None:
    """Percentage, or None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, 2)


def rate_by(
    user: Any, numerator: Terms, denominator: Terms, start: date, end: date, by: str
) -> list[dict[str, Any]]:
    """[{key, label, numerator, denominator, rate}]: measures written "-code" are subtracted
    (按期结案率 = closed_on_time / (due_to_close − deferred)). Subjects with a zero denominator
    are listed with ``rate`` None."""
    codes = {c for _s, c in signed_terms(numerator) + signed_terms(denominator)}
    sums = _sums(user, codes, start, end, by)
    per_key: dict[Any, dict[str, int]] = {}
    for (key, code), value in sums.items():
        per_key.setdefault(key, {})[code] = value
    names = labels(by, per_key)
    out = []
    for key, values in per_key.items():
        num, den = combine(numerator, values), combine(denominator, values)
        out.append(
            {
                "key": key,
                "label": names.get(key, str(key)),
                "numerator": num,
                "denominator": den,
                "rate": rate(num, den),
            }
        )
    out.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), str(r["key"])))
    return out


def total(user: Any, terms: Terms, start: date, end: date) -> int:
    """Σ of signed measures over the viewer's facts for the period."""
    codes = [c for _s, c in signed_terms(terms)]
    rows = (
        _in_period(_source(user), start, end)
        .filter(measure__in=codes)
        .values("measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    return combine(terms, {r["measure"]: int(r["total"]) for r in rows})


def subject_q(level: str, key: str) -> Q:
    """The facts about one subject of a level."""
    if level == Level.WORKER:
        return Q(worker_id=int(key))
    if level == Level.DEPARTMENT:
        return Q(department_id=int(key))
    return Q(region_code__startswith=key)
