"""Scores, grades, rankings, frozen periods and drill-downs (docs/architecture.md "Assessment").

- A rate is 0–100; a "lower is better" rate scores 100 − rate.
- A subject's score is the weighted mean of the scores of the indicators weighted for its
  level that have something to divide by (an indicator with a zero denominator — no cases of
  that kind — neither helps nor hurts).
- The grade is the highest band whose minimum the score (rounded to two decimals) reaches.
- Results are computed for everybody at once (``compute_results``); what a viewer is shown is
  then narrowed to subjects inside their jurisdiction and ranked among those
  (``ranking``), with the change from the previous period ranked the same way.
- A closed period is frozen by ``snapshot``: its rows are kept and never recomputed unless
  asked (``recompute=True``), which counts again from the events.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.assessment.measures import MEASURES, local_tz
from civicgrid.assessment.models import (
    LEVEL_CODE_LENGTH,
    DailyFact,
    Direction,
    GradeBand,
    Indicator,
    IndicatorWeight,
    Level,
    PeriodKind,
    PeriodResult,
)
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.selectors import (
    ASSESSMENT_READERS,
    _grouped,
    combine,
    labels,
    rate,
    signed_terms,
)
from civicgrid.cases.models import Case

TOTAL = PeriodResult.TOTAL


# --- periods --------------------------------------------------------------------------------


def period_start(kind: str, day: date) -> date:
    if kind == PeriodKind.WEEK:
        return day - timedelta(days=day.weekday())
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    if kind == PeriodKind.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == PeriodKind.YEAR:
        return date(day.year, 1, 1)
    raise ValueError(kind)


def period_end(kind: str, start: date) -> date:
    if kind == PeriodKind.WEEK:
        return start + timedelta(days=6)
    if kind == PeriodKind.MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if kind == PeriodKind.QUARTER:
        last_month = start.month + 2
        return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])
    if kind == PeriodKind.YEAR:
        return date(start.year, 12, 31)
    raise ValueError(kind)


def previous_start(kind: str, start: date) -> date:
    return period_start(kind, start - timedelta(days=1))


def parse_period(value: str | None, kind: str = PeriodKind.MONTH) -> date:
    """ "2026-10" (month) or an ISO date inside the period; default: the current period."""
    today = timezone.now().astimezone(local_tz()).date()
    if not value:
        return period_start(kind, today)
    try:
        if len(value) == 7:
            year, month = value.split("-")
            day = date(int(year), int(month), 1)
        else:
            day = date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("周期格式应为 YYYY-MM 或 YYYY-MM-DD") from exc
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ValueError("周期超出范围")
    return period_start(kind, day)


def is_closed(kind: str, start: date, today: date | None = None) -> bool:
    today = today or timezone.now().astimezone(local_tz()).date()
    return period_end(kind, start) < today


# --- scoring --------------------------------------------------------------------------------


def indicator_score(indicator: Indicator, value: float | None) -> float | None:
    if value is None:
        return None
    value = max(0.0, min(100.0, value))
    return round(100.0 - value if indicator.direction == Direction.LOWER else value, 2)


def grade_for(score: float | None, bands: list[GradeBand] | None = None) -> str:
    if score is None:
        return ""
    bands = bands if bands is not None else list(GradeBand.objects.order_by("-min_score"))
    rounded = Decimal(str(round(score, 2)))
    for band in sorted(bands, key=lambda b: -b.min_score):
        if rounded >= band.min_score:
            return band.grade
    return bands[-1].grade if bands else ""


def weighted_score(scores: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Weighted mean over the indicators that have a score and a positive weight."""
    used = [(weights[c], s) for c, s in scores.items() if s is not None and weights.get(c, 0) > 0]
    total_weight = sum(w for w, _s in used)
    if not total_weight:
        return None
    return round(sum(w * s for w, s in used) / total_weight, 2)


def level_indicators(level: str) -> list[Indicator]:
    return [i for i in Indicator.objects.filter(active=True) if level in (i.levels or [])]


def level_weights(level: str) -> dict[str, float]:
    return {
        w.indicator.code: float(w.weight)
        for w in IndicatorWeight.objects.filter(level=level, indicator__active=True).select_related(
            "indicator"
        )
    }


@dataclass
class SubjectResult:
    key: str
    label: str
    region_code: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    score: float | None = None
    grade: str = ""
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> int | None:
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


_BY: dict[str, str] = {
    Level.WORKER: "worker",
    Level.DEPARTMENT: "department",
    Level.GRID: "grid",
    Level.COMMUNITY: "community",
    Level.STREET: "street",
    Level.DISTRICT: "district",
}


def _subject_regions(level: str, keys: list[Any]) -> dict[Any, str]:
    if level == Level.WORKER:
        users = User.objects.filter(pk__in=keys).prefetch_related("scopes")
        return {u.pk: (u.scope_codes[0] if u.scope_codes else "") for u in users}
    if level == Level.DEPARTMENT:
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "region_code"))
    return {k: k for k in keys}


def compute_results(
    kind: str, start: date, level: str, facts: QuerySet[DailyFact] | None = None
) -> list[SubjectResult]:
    """Every subject of ``level`` with facts in the period: figures, score, grade and rank
    (dense: equal scores share a rank)."""
    end = period_end(kind, start)
    indicators = level_indicators(level)
    weights = level_weights(level)
    codes = {c for i in indicators for _s, c in signed_terms(i.numerator + i.denominator)}
    facts = facts if facts is not None else DailyFact.objects.all()
    rows = (
        _grouped(facts.filter(day__gte=start, day__lte=end, measure__in=codes), _BY[level])
        .values("key", "measure")
        .order_by()
        .annotate(total=Sum("value"))
    )
    per_key: dict[Any, dict[str, int]] = {}
    for r in rows:
        per_key.setdefault(r["key"], {})[r["measure"]] = int(r["total"])
    if level == Level.WORKER:
        workers = set(
            User.objects.filter(pk__in=list(per_key), role=Role.GRID_WORKER).values_list(
                "pk", flat=True
            )
        )
        per_key = {k: v for k, v in per_key.items() if k in workers}
    if level in LEVEL_CODE_LENGTH:
        per_key = {k: v for k, v in per_key.items() if len(k) == LEVEL_CODE_LENGTH[level]}
    names = labels(_BY[level], per_key)
    regions = _subject_regions(level, list(per_key))
    bands = list(GradeBand.objects.order_by("-min_score"))
    out = []
    for key, values in per_key.items():
        subject = SubjectResult(str(key), names.get(key, str(key)), regions.get(key, "") or "")
        scores: dict[str, float | None] = {}
        for ind in indicators:
            num, den = combine(ind.numerator, values), combine(ind.denominator, values)
            value = rate(num, den)
            scores[ind.code] = indicator_score(ind, value)
            subject.figures[ind.code] = {
                "numerator": num,
                "denominator": den,
                "value": value,
                "score": scores[ind.code],
            }
        subject.score = weighted_score(scores, weights)
        subject.grade = grade_for(subject.score, bands)
        out.append(subject)
    assign_ranks(out)
    return out


class Ranked(Protocol):
    key: str
    score: float | None
    rank: int | None


R = TypeVar("R", bound=Ranked)


def assign_ranks(subjects: list[R]) -> None:
    """Dense ranks by score, highest first (equal scores share a rank; no score, no rank),
    then ``subjects`` sorted by rank: the ranking page and the monthly report's rows."""
    scored = sorted(
        (s for s in subjects if s.score is not None), key=lambda s: (-(s.score or 0), s.key)
    )
    rank, last = 0, None
    for position, s in enumerate(scored, start=1):
        if s.score != last:
            rank, last = position, s.score
        s.rank = rank
    subjects.sort(key=lambda s: (s.rank is None, s.rank or 0, s.key))


# --- frozen periods -------------------------------------------------------------------------


def _stored(kind: str, start: date, level: str) -> list[SubjectResult] | None:
    rows = list(
        PeriodResult.objects.filter(period_kind=kind, period_start=start, level=level, frozen=True)
    )
    if not rows:
        return None
    by_key: dict[str, SubjectResult] = {}
    for r in rows:
        s = by_key.setdefault(
            r.subject_key, SubjectResult(r.subject_key, r.subject_label, r.region_code)
        )
        if r.indicator == TOTAL:
            s.score, s.grade, s.rank = r.score, r.grade, r.rank
        else:
            s.figures[r.indicator] = {
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": r.value,
                "score": r.score,
            }
    out = list(by_key.values())
    out.sort(key=lambda s: (s.rank is None, s.rank or 0, s.key))
    return out


def results(kind: str, start: date, level: str) -> list[SubjectResult]:
    """Frozen rows when the period was snapshotted, else computed now from the facts."""
    stored = _stored(kind, start, level)
    return stored if stored is not None else compute_results(kind, start, level)


def is_frozen(kind: str, start: date) -> bool:
    return PeriodResult.objects.filter(period_kind=kind, period_start=start, frozen=True).exists()


@transaction.atomic
def snapshot(kind: str, start: date, *, recompute: bool = False) -> int:
    """Freeze a period's results for every level; return how many rows were written (0 when
    it was frozen already and ``recompute`` is not asked). A recompute first recounts the
    period's facts from the events, so it gives the same numbers the events say."""
    start = period_start(kind, start)
    if is_frozen(kind, start) and not recompute:
        return 0
    if recompute:
        rollup(start, period_end(kind, start))
    PeriodResult.objects.filter(period_kind=kind, period_start=start).delete()
    now = timezone.now()
    prev = previous_start(kind, start)
    rows = []
    for level in Level.values:
        before = {s.key: s.rank for s in _stored(kind, prev, level) or []}
        for s in compute_results(kind, start, level):
            common = dict(
                period_kind=kind,
                period_start=start,
                level=level,
                subject_key=s.key,
                subject_label=s.label[:100],
                region_code=s.region_code[:15],
                frozen=True,
                computed_at=now,
            )
            rows.append(
                PeriodResult(
                    **common,
                    indicator=TOTAL,
                    score=s.score,
                    grade=s.grade,
                    rank=s.rank,
                    previous_rank=before.get(s.key),
                )
            )
            for code, f in s.figures.items():
                rows.append(
                    PeriodResult(
                        **common,
                        indicator=code,
                        numerator=f["numerator"],
                        denominator=f["denominator"],
                        value=f["value"],
                        score=f["score"],
                    )
                )
    PeriodResult.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- what a viewer sees ---------------------------------------------------------------------


def levels_for(user: Any) -> list[str]:
    """The level tabs a viewer has: a grid worker their own row, a department its own."""
    if user.sees_everything:
        return list(Level.values)
    if user.role == Role.GRID_WORKER:
        return [Level.WORKER]
    if user.role == Role.DEPARTMENT:
        return [Level.DEPARTMENT]
    if user.role in (Role.SECRETARY, Role.CADRE):
        return [Level.WORKER, Level.GRID, Level.COMMUNITY, Level.DEPARTMENT]
    if user.role in ASSESSMENT_READERS:
        return list(Level.values)
    return []


def subject_visible(user: Any, level: str, subject: SubjectResult) -> bool:
    if user.sees_everything:
        return True
    if level not in levels_for(user):
        return False
    if user.role == Role.GRID_WORKER:
        return subject.key == str(user.pk)
    if user.role == Role.DEPARTMENT:
        return subject.key == str(user.department_id)
    if level == Level.DEPARTMENT:
        # Staff see the departments working in their jurisdiction: those whose region
        # contains (or lies inside) one of their codes.
        return any(
            c.startswith(subject.region_code) or subject.region_code.startswith(c)
            for c in user.scope_codes
        ) and bool(subject.region_code)
    return any(subject.region_code.startswith(c) for c in user.scope_codes)


def ranking(user: Any, kind: str, start: date, level: str) -> list[SubjectResult]:
    """The subjects of ``level`` the viewer may see, ranked among themselves, with their rank
    among the same subjects in the previous period."""
    mine = [s for s in results(kind, start, level) if subject_visible(user, level, s)]
    assign_ranks(mine)
    before = [
        s
        for s in results(kind, previous_start(kind, start), level)
        if subject_visible(user, level, s)
    ]
    assign_ranks(before)
    previous = {s.key: s.rank for s in before}
    for s in mine:
        s.previous_rank = previous.get(s.key)
    return mine


def access_subject(user: Any, kind: str, start: date, level: str, key: str) -> SubjectResult:
    """One subject's result for the viewer: 404 when outside their jurisdiction or unknown
    (the same answer, docs/architecture.md "One way in")."""
    if level not in Level.values:
        raise Http404
    for s in ranking(user, kind, start, level):
        if s.key == key:
            return s
    raise Http404


def _subject_case_ids(codes: list[str], start: date, end: date, level: str, key: str) -> set[int]:
    case_ids: set[int] = set()
    for code in codes:
        measure = MEASURES.get(code)
        if measure is None or not measure.about_cases:
            continue
        for part in measure.parts:
            rows = part.rows(start, end)
            if level == Level.WORKER:
                rows = rows.filter(f_worker=int(key))
            elif level == Level.DEPARTMENT:
                rows = rows.filter(f_department=int(key))
            else:
                rows = rows.filter(f_region__startswith=key)
            case_ids.update(rows.values_list("f_case", flat=True))
    return case_ids


def drill_cases(
    user: Any, indicator: Indicator, kind: str, start: date, level: str, key: str
) -> QuerySet[Case]:
    """The cases behind an indicator's figures for one subject: the rows of the same measure
    definitions (numerator and denominator) for that subject and period, intersected with the
    cases the viewer may see."""
    access_subject(user, kind, start, level, key)
    codes = [c for _s, c in signed_terms(list(indicator.numerator) + list(indicator.denominator))]
    case_ids = _subject_case_ids(codes, start, period_end(kind, start), level, key)
    return (
        Case.objects.visible_to(user)
        .filter(pk__in=case_ids)
        .with_list_relations()
        .order_by("-reported_at", "-id")
    )


def numerator_case_ids(
    indicator: Indicator, kind: str, start: date, level: str, key: str
) -> set[int]:
    """Which of the drilled cases count in the numerator (its added measures), to mark them;
    only ever intersected with cases ``drill_cases`` already let the viewer see."""
    codes = [c for sign, c in signed_terms(list(indicator.numerator)) if sign > 0]
    return _subject_case_ids(codes, start, period_end(kind, start), level, key)


def measure_cases(
    user: Any, code: str, start: date, end: date, q: Q | None = None
) -> QuerySet[Case]:
    """The visible cases behind one measure over [start, end] (the screen's drill-down)."""
    measure = MEASURES[code]
    case_ids: set[int] = set()
    for part in measure.parts:
        rows = part.rows(start, end)
        if q is not None:
            rows = rows.filter(q)
        case_ids.update(rows.values_list("f_case", flat=True))
    return Case.objects.visible_to(user).filter(pk__in=case_ids).order_by("-reported_at", "-id")
