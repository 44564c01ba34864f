"""The monthly disclosure (信息公开) of a community or a street.

The case figures are the assessment's, never counted here (docs/architecture.md "Assessment":
one definition of each figure): 立案数, 应结案数, 结案率, 按期结案率, 返工率, 延期率 and 满意率 of
the division for the month are its row of the assessment's monthly report of its street
(``assessment.reports.place_row``: the street's total row, or the community's row of the
community sheet, computed alone). The report takes a frozen month from the snapshot and an unfrozen one from
the daily facts, so the portal and the report a street downloads say the same numbers. They
are read when the page is shown, not stored: a month frozen or recounted after the disclosure
was published still matches the report.

What the disclosure adds and stores once per division and month (``publish_disclosure``,
re-running replaces it): the responsibility list from ``ResponsibilityRule`` (the rule in force
for each 大类 at this division, as intake would choose it), the grid workers from their
published cards only, and the 议事会 resolutions recorded in the month in the division's
communities, through the councils' public presenter.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicgrid.cases.models import Category, ResponsibilityRule
from civicgrid.geo.models import Grid, Region
from civicgrid.participation.models import Disclosure
from civicgrid.participation.presenters import present_card
from civicgrid.participation.selectors import workers_by_grid

SOURCE = "assessment"


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


def assessment_figures(code: str, month: date) -> list[dict[str, Any]]:
    """The month's published assessment figures of the division, in the report's order:
    [{code, label, value, display, numerator, denominator}]; ``value`` None (shown "—") when
    there was nothing to divide by."""
    from civicgrid.assessment.reports import FIGURES, Cell, display, place_row

    row = place_row(code, month)
    out = []
    for figure in FIGURES:
        cell = row.cells.get(figure.code, Cell(None)) if row is not None else Cell(None)
        out.append(
            {
                "code": figure.code,
                "label": figure.label,
                "is_rate": figure.is_rate,
                "value": cell.value,
                "display": display(figure, cell),
                "numerator": cell.numerator,
                "denominator": cell.denominator,
            }
        )
    return out


def compute_disclosure(code: str, month: date) -> dict[str, Any]:
    """What is stored for the month (the case figures are read live, ``with_assessment``)."""
    start, end = month_bounds(month)
    return {
        "month": f"{month:%Y-%m}",
        "responsibilities": _responsibilities(code),
        "workers": _workers(code),
        "council_resolutions": _council_resolutions(code, start, end),
    }


def with_assessment(found: Disclosure | None) -> dict[str, Any] | None:
    """The stored disclosure with the month's assessment figures, as the page and the API
    show it. A row stored before the figures came from the assessment carries its own
    counts: they are dropped, never shown beside the assessment's."""
    if found is None:
        return None
    stored = {k: v for k, v in found.figures.items() if k not in RETIRED_KEYS}
    stored["month"] = f"{found.month:%Y-%m}"
    stored["assessment"] = assessment_figures(found.region_code, found.month)
    return stored


# Keys of rows published when the disclosure counted cases itself.
RETIRED_KEYS = frozenset(
    {
        "received",
        "closed",
        "closed_on_time",
        "on_time_rate",
        "evaluated",
        "satisfaction_rate",
        "by_category",
    }
)
STREET_CODE_LENGTH = 9


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
