"""The monthly assessment report of a district of 2,400 grids (issue 10 "Speed": ≤ 30 s):
the xlsx and the PDF made by ``generate_report``, the function the background task calls, over a
month of facts per grid, beside a plain grouped sum of the same month's facts measured in the
same run. No timing is asserted."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum

from benchmarks.test_screen_citywide_bench import city_grids
from civicgrid.accounts.models import Department
from civicgrid.assessment.models import AssessmentReport, DailyFact, ReportStatus
from civicgrid.assessment.reports import generate_report, last_closed_month, request_report
from civicgrid.geo.models import Region
from civicgrid.testing.cases import case_category

pytestmark = pytest.mark.django_db

MEASURES = (
    ("reported", False, 4),
    ("closed", True, 4),
    ("due_to_close", True, 4),
    ("closed_on_time", True, 2),
    ("evaluated", False, 2),
    ("satisfied", False, 1),
)


def test_monthly_report_of_a_district(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    grids = city_grids()
    categories = [case_category(code) for code in ("0101", "0102", "0201", "0202", "0301")]
    depts = Department.objects.bulk_create(
        [Department(code=f"d{i}", name=f"部门{i}", region_code="520102") for i in range(12)]
    )
    month = last_closed_month()
    days = [
        month + timedelta(days=n)
        for n in range(31)
        if (month + timedelta(days=n)).month == month.month
    ]
    facts = []
    for n, day in enumerate(days):
        for k, grid in enumerate(grids):
            for measure, by_dept, base in MEASURES:
                facts.append(
                    DailyFact(
                        day=day,
                        region_code=grid.code,
                        category=categories[(k + n) % 5] if measure == "reported" else None,
                        department=depts[(k + n) % 12] if by_dept else None,
                        measure=measure,
                        value=base + (k * 31 + n * 7) % 5,
                    )
                )
    DailyFact.objects.bulk_create(facts, batch_size=5000)
    district = Region.objects.get(code="520102")
    report = request_report(district, month)

    def generate() -> None:
        AssessmentReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED)
        assert generate_report(report.pk)

    benchmark.pedantic(generate, rounds=3, iterations=1)
    done = AssessmentReport.objects.get(pk=report.pk)
    assert done.status == ReportStatus.DONE and done.xlsx and done.pdf
    report_s = benchmark.stats.stats.min

    def baseline() -> None:
        list(
            DailyFact.objects.filter(region_code__startswith="520102", day__in=days)
            .values("region_code", "measure")
            .order_by()
            .annotate(total=Sum("value"))
        )

    timings = []
    for _r in range(3):
        began = time.perf_counter()
        baseline()
        timings.append(time.perf_counter() - began)
    base_s = min(timings)
    report_throughput(
        f"monthly report, district of {len(grids):,} grids, {len(facts):,} facts", report_s, "s"
    )
    report_throughput("grouped sum of the month's facts per grid (baseline)", base_s, "s")
    report_throughput("report as a multiple of the baseline", report_s / base_s, "x")
