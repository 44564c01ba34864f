"""The city-scale run ``make bench`` can repeat (docs/scaling.md "City-scale run"):
``build_city`` at 1,000,000 people and 1,000,000 cases (CIVICGRID_BENCH_CITY_ROWS for a
quicker run), its load rate beside simple-history's ``bulk_create_with_history`` of the
same person rows measured in the same run, and the p95 of the main pages at that size beside
the same pages over a 10,000-row city built in the same run."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from civicgrid.dashboard.city_scale import build_city, database_size, time_pages
from civicgrid.registry.identity import make_resident_id
from civicgrid.registry.models import Household, Person

ROWS = int(os.environ.get("CIVICGRID_BENCH_CITY_ROWS", "1000000"))
SMALL = 10_000


class _Rollback(Exception):
    pass


def _small_city_pages() -> dict[str, dict[str, float]]:
    """Page timings over a 10,000-row city, then the database as it was."""
    figures: dict[str, dict[str, float]] = {}
    try:
        with transaction.atomic():
            build_city(people=SMALL, cases=SMALL, seed=5)
            figures = time_pages(rounds=20)
            raise _Rollback
    except _Rollback:
        pass
    return figures


def _baseline_rows_per_second(count: int) -> float:
    """Person rows with their history rows through the ORM, as one would write them with
    Django and simple-history: ``fill_derived`` then ``bulk_create_with_history``."""
    household = Household.objects.order_by("pk").first()
    assert household is not None
    people = []
    for i in range(count):
        person = Person(
            grid_id=household.grid_id, grid_code=household.grid_code, household=household,
            dwelling_id=household.dwelling_id, name=f"对照{i % 500}",
            # Unique among themselves and apart from the generated city (an area code
            # outside Guiyang): a thousand people per birth date, each with its own sequence.
            id_number=make_resident_id(
                "110101", date(1950, 1, 1) + timedelta(days=i // 1000), (i % 1000) // 2,
                male=i % 2 == 0,
            ),
            phone=f"139{i:08d}", address=f"基准路{i}号",
        )  # fmt: skip
        people.append(person)
    started = time.perf_counter()
    with transaction.atomic():
        for person in people:
            person.fill_derived()
        bulk_create_with_history(people, Person, batch_size=2000)
    return count / (time.perf_counter() - started)


@pytest.mark.django_db(transaction=False)
def test_city_scale_run(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    small = _small_city_pages()
    report = benchmark.pedantic(
        lambda: build_city(people=ROWS, cases=ROWS, seed=2026, progress=print),
        rounds=1,
        iterations=1,
    )
    assert report.people == ROWS and report.cases == ROWS
    people_rate = report.people / report.seconds["people"]
    baseline = _baseline_rows_per_second(min(20_000, max(1_000, ROWS // 50)))
    report_throughput(
        f"build_city people, {ROWS:,} (with buildings, households)", people_rate, "rows/s"
    )
    report_throughput(
        "  ÷ bulk_create_with_history of the same person rows", people_rate / baseline, "×"
    )
    report_throughput(
        f"build_city cases, {ROWS:,} (with events)",
        report.cases / report.seconds["cases"],
        "cases/s",
    )
    report_throughput("build_city total", report.seconds["total"], "s")
    report_throughput("database size", database_size()["total_mb"], "MB")
    large = time_pages(rounds=20)
    for label, figures in large.items():
        if label == "rss":
            continue
        report_throughput(f"{label} p95 at {ROWS:,}", figures["p95"], "ms")
        report_throughput(f"  ÷ p95 at {SMALL:,}", figures["p95"] / small[label]["p95"], "×")
    report_throughput("web worker RSS after the pages", large["rss"]["mb"], "MB")
