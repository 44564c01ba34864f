"""The monthly disclosure (信息公开) of a community or a street.

Figures are counted from ``CaseEvent`` history (ARCHITECTURE rule 2: KPIs come from the events),
for cases located in the division, over the calendar month in local time:

- received: ``report`` events in the month, by 大类;
- closed: ``verify`` events (核查通过 → 已结案) in the month, by 大类;
- on-time closure rate: closed cases of the month none of whose timed stages ended late
  (``CaseEvent.on_time`` is False for a stage closed after its deadline);
- satisfaction rate: ``evaluate`` events of the month that said 满意 or 基本满意, over all
  evaluations of the month;
- council resolutions: the 议事会 resolutions recorded in the month in the division's
  communities, through the councils' public presenter.

The responsibility list comes from ``ResponsibilityRule`` (the rule in force for each 大类 at
this division, as intake would choose it) and the grid workers from their published cards only.
``publish_disclosure`` stores the result once per division and month (re-running replaces it).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicgrid.cases.choices import Action, Satisfaction
from civicgrid.cases.models import CaseEvent, Category, ResponsibilityRule
from civicgrid.geo.models import Grid, Region
from civicgrid.participation.models import Disclosure
from civicgrid.participation.presenters import present_card
from civicgrid.participation.selectors import workers_by_grid

SOURCE = "case_events"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime(nxt.year, nxt.month, 1))


def parse_month(text: str) -> date | None:
    """``YYYY-MM`` → first day of the month; None for anything else."""
    try:
        parsed = datetime.strptime((text or "").strip(), "%Y-%m")
    except ValueError:
        return None
    if parsed.year < 2000:
        return None
    return date(parsed.year, parsed.month, 1)


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _responsibilities(code: str) -> list[dict[str, Any]]:
    majors = {
        c.pk: c for c in Category.objects.filter(parent__isnull=True, retired_on__isnull=True)
    }
    best: dict[int, ResponsibilityRule] = {}
    for rule in ResponsibilityRule.objects.filter(
        category_id__in=list(majors), retired_on__isnull=True, urgent=False
    ).select_related("department"):
        if not code.startswith(rule.region_prefix):
            continue
        held = best.get(rule.category_id)
        if held is None or len(rule.region_prefix) > len(held.region_prefix):
            best[rule.category_id] = rule
    rows = []
    for pk, category in sorted(majors.items(), key=lambda kv: kv[1].code):
        if pk not in best:
            continue
        rule = best[pk]
        department = rule.department
        rows.append(
            {
                "category": category.name,
                "level": str(rule.get_level_display()),
                "department": department.name if department is not None else "",
                "handle_limit": f"{rule.handle_limit.normalize():f}",
                "handle_unit": str(rule.get_handle_unit_display()),
            }
        )
    return rows


def _workers(code: str) -> list[dict[str, Any]]:
    grids = list(Grid.objects.current().filter(code__startswith=code).order_by("code"))
    cards = workers_by_grid([g.code for g in grids])
    rows = []
    for grid in grids:
        for card in cards.get(grid.code, []):
            person = present_card(card)
            rows.append(
                {
                    "grid_code": grid.code,
                    "grid": grid.name,
                    "name": person["name"],
                    "phone": person["phone"],
                    "service_hours": person["service_hours"],
                }
            )
    return rows


def _council_resolutions(code: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The 议事会 resolutions of the month in the division, as the public presenter shows them
    (the item by its category or proposal title, no names, no case numbers)."""
    # Imported here: the councils part sits beside this module inside participation and itself
    # reads this module for its demo.
    from civicgrid.participation.councils.models import Resolution
    from civicgrid.participation.councils.presenters import present_resolution_public

    found = (
        Resolution.objects.filter(
            community_code__startswith=code, resolved_at__gte=start, resolved_at__lt=end
        )
        .select_related("item__case__category", "item__proposal")
        .order_by("resolved_at", "id")[:MAX_RESOLUTIONS]
    )
    return [present_resolution_public(r) for r in found]


MAX_RESOLUTIONS = 100


def compute_disclosure(code: str, month: date) -> dict[str, Any]:
    start, end = month_bounds(month)
    events = CaseEvent.objects.filter(at__gte=start, at__lt=end, case__grid_code__startswith=code)
    majors = {c.pk: c for c in Category.objects.filter(parent__isnull=True)}

    def major_of(parent_id: int | None, category_id: int) -> int:
        return parent_id or category_id

    received: Counter[int] = Counter()
    for parent_id, category_id in events.filter(action=Action.REPORT).values_list(
        "case__category__parent_id", "case__category_id"
    ):
        received[major_of(parent_id, category_id)] += 1
    closed: Counter[int] = Counter()
    closed_cases: set[int] = set()
    for case_id, parent_id, category_id in events.filter(action=Action.VERIFY).values_list(
        "case_id", "case__category__parent_id", "case__category_id"
    ):
        if case_id in closed_cases:
            continue
        closed_cases.add(case_id)
        closed[major_of(parent_id, category_id)] += 1
    late = set(
        CaseEvent.objects.filter(case_id__in=closed_cases, on_time=False, at__lt=end).values_list(
            "case_id", flat=True
        )
    )
    verdicts = list(events.filter(action=Action.EVALUATE).values_list("data", flat=True))
    evaluated = [v.get("satisfaction") for v in verdicts if isinstance(v, dict)]
    pleased = sum(1 for s in evaluated if s in (Satisfaction.SATISFIED, Satisfaction.BASIC))
    by_category = []
    for pk in sorted(
        set(received) | set(closed), key=lambda p: majors[p].code if p in majors else ""
    ):
        category = majors.get(pk)
        by_category.append(
            {
                "category": category.name if category else "",
                "received": received[pk],
                "closed": closed[pk],
            }
        )
    return {
        "month": f"{month:%Y-%m}",
        "received": sum(received.values()),
        "closed": len(closed_cases),
        "closed_on_time": len(closed_cases - late),
        "on_time_rate": _rate(len(closed_cases - late), len(closed_cases)),
        "evaluated": len(evaluated),
        "satisfaction_rate": _rate(pleased, len(evaluated)),
        "by_category": by_category,
        "responsibilities": _responsibilities(code),
        "workers": _workers(code),
        "council_resolutions": _council_resolutions(code, start, end),
    }


@transaction.atomic
def publish_disclosure(month: date, codes: list[str] | None = None) -> int:
    """Store the month for every current street and community (or ``codes``); idempotent:
    re-running replaces the stored figures of that month. Returns how many were stored."""
    if codes is None:
        codes = list(
            Region.objects.filter(
                level__in=("street", "community"), retired_on__isnull=True
            ).values_list("code", flat=True)
        )
    for code in codes:
        Disclosure.objects.update_or_create(
            region_code=code,
            month=month,
            defaults={"figures": compute_disclosure(code, month), "source": SOURCE},
        )
    return len(codes)


def previous_months(today: date, count: int) -> list[date]:
    """The ``count`` closed months before ``today``'s month, most recent first."""
    months = []
    year, mon = today.year, today.month
    for _ in range(count):
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
        months.append(date(year, mon, 1))
    return months
