"""Demo figures: roll the demo's case history and field work up into facts, then freeze every
closed month so the ranking page opens on published months with a previous rank to compare."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import DailyFact, PeriodKind
from civicgrid.assessment.population import record_population
from civicgrid.assessment.reports import build_reports
from civicgrid.assessment.rollup import heat_window, rollup, rollup_heat
from civicgrid.assessment.services import period_start, snapshot
from civicgrid.cases.models import CaseEvent

# The case demo writes about five months of history; a little more covers deadlines.
DEMO_MONTHS = 7


def build_assessment(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    today = timezone.now().astimezone(local_tz()).date()
    first = CaseEvent.objects.order_by("at").values_list("at", flat=True).first()
    start = (
        first.astimezone(local_tz()).date() if first else today - timedelta(days=30 * DEMO_MONTHS)
    )
    facts = rollup(start, today)
    rollup_heat(*heat_window(today))
    months = 0
    month = period_start(PeriodKind.MONTH, start)
    this_month = period_start(PeriodKind.MONTH, today)
    while month < this_month:
        snapshot(PeriodKind.MONTH, month, recompute=False)
        months += 1
        month = period_start(PeriodKind.MONTH, month + timedelta(days=32))
    if stdout is not None:
        stdout.write(f"考核:{facts} 行事实({DailyFact.objects.count()}),冻结 {months} 个月")
    # Today's ledger completeness is the first stored value; the nightly job adds one a day
    # (the ledger's past completeness cannot be known, so none is invented).
    record_completeness()
    record_population()
    # The last complete month's reports, so 月度考核报告 has files to open.
    reports = build_reports(city, stdout)
    return {"facts": facts, "months": months, "reports": reports}
