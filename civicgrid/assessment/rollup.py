"""The only writer of ``DailyFact`` (docs/architecture.md "Assessment").

For a range of local days it deletes the facts of those days and inserts them again from the
sources, one transaction per batch of days: rerunning gives the same rows (idempotent), and a
reader never sees a half-written day. Counting happens in the database, one grouped query per
measure part; Python only merges the grouped rows and bulk-inserts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Round, Substr
from django.utils import timezone

from civicgrid.assessment.measures import (
    MEASURES,
    MEASURES_LIST,
    Measure,
    day_bounds,
    grid_worker,
    grid_workers,
    local_tz,
)
from civicgrid.assessment.models import (
    LEVEL_CODE_LENGTH,
    CommunityDailyFact,
    DailyFact,
    HeatCell,
    Level,
)
from civicgrid.cases.models import Case
from civicgrid.core.bulk import insert_rows

BATCH_DAYS = 31
# Rows read and written at a time by the summary and the heat rollup.
BATCH_ROWS = 5000
# The screen's heat layer shows the last 30 days, today included (as its trend does).
HEAT_DAYS = 30
# Cell sizes kept: 3 decimals of a degree (≈ 100 m) for a street or narrower, 2 (≈ 1 km) for
# a district or the city (models.HeatCell).
HEAT_DIGITS = (3, 2)


def default_range(today: date | None = None) -> tuple[date, date]:
    """From the first day of last month to today. Deadline-day measures (due_to_close,
    deferred, closed_on_time) and reported_valid change for past days when later events
    arrive, so the open months are recounted each run until ``assessment_snapshot`` freezes
    them; counting a month and a half stays a handful of grouped queries."""
    today = today or timezone.now().astimezone(local_tz()).date()
    first_this = today.replace(day=1)
    first_last = (first_this - timedelta(days=1)).replace(day=1)
    return first_last, today


def count_measure(measure: Measure, start: date, end: date) -> dict[tuple[Any, ...], int]:
    """{(day, region, category, department, worker): count} for the days [start, end]."""
    if measure.counter is not None:
        return measure.counter(start, end)
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for part in measure.parts:
        # The grid's worker depends on the grid alone: grouped by grid first and looked up once
        # per grid, instead of a correlated subquery for every event (the same answer).
        by_grid = part.worker is grid_worker
        if by_grid:
            part = replace(part, worker=None)
        grouped = list(
            part.rows(start, end)
            .values("f_day", "f_region", "f_category", "f_department", "f_worker")
            .order_by()
            .annotate(n=Count("pk"))
        )
        workers = grid_workers({row["f_region"] for row in grouped}) if by_grid else {}
        for row in grouped:
            key = (
                row["f_day"],
                row["f_region"] or "",
                row["f_category"],
                row["f_department"],
                workers.get(row["f_region"]) if by_grid else row["f_worker"],
            )
            counts[key] += row["n"]
    return counts


FACT_COLUMNS = (
    "day",
    "region_code",
    "category_id",
    "department_id",
    "worker_id",
    "measure",
    "value",
)


def _facts(measures: Iterable[Measure], start: date, end: date) -> list[tuple[Any, ...]]:
    """The facts of [start, end] as rows in ``FACT_COLUMNS`` order."""
    rows = []
    for measure in measures:
        for (day, region, category, department, worker), n in count_measure(
            measure, start, end
        ).items():
            if n:
                rows.append((day, region, category, department, worker, measure.code, n))
    return rows


def rollup(start: date, end: date, *, measures: Iterable[str] | None = None) -> int:
    """Recompute the facts of the local days [start, end]; return how many rows were written."""
    if end < start:
        raise ValueError("end before start")
    chosen = [MEASURES[c] for c in measures] if measures is not None else list(MEASURES_LIST)
    codes = [m.code for m in chosen]
    written = 0
    low = start
    while low <= end:
        high = min(end, low + timedelta(days=BATCH_DAYS - 1))
        with transaction.atomic():
            DailyFact.objects.filter(day__gte=low, day__lte=high, measure__in=codes).delete()
            facts = _facts(chosen, low, high)
            # COPY on PostgreSQL: a month of a city is hundreds of thousands of rows.
            insert_rows(DailyFact._meta.db_table, FACT_COLUMNS, facts)
            summarise(low, high, measures=codes)
            written += len(facts)
        low = high + timedelta(days=1)
    return written


def summarise(
    start: date | None = None, end: date | None = None, *, measures: Iterable[str] | None = None
) -> int:
    """Rebuild ``CommunityDailyFact`` for the days [start, end] (default every day) and
    ``measures`` (default all) from ``DailyFact``: one grouped query, delete and insert.
    ``rollup`` calls it after every batch; on its own it serves whoever wrote facts directly
    (benchmarks, tests)."""
    facts = DailyFact.objects.all()
    summary = CommunityDailyFact.objects.all()
    if start is not None:
        facts, summary = facts.filter(day__gte=start), summary.filter(day__gte=start)
    if end is not None:
        facts, summary = facts.filter(day__lte=end), summary.filter(day__lte=end)
    if measures is not None:
        codes = list(measures)
        facts, summary = facts.filter(measure__in=codes), summary.filter(measure__in=codes)
    grouped = (
        facts.order_by()
        .annotate(region=Substr("region_code", 1, LEVEL_CODE_LENGTH[Level.COMMUNITY]))
        .values("day", "region", "category_id", "department_id", "measure")
        .annotate(total=Sum("value"))
        .values_list("day", "region", "category_id", "department_id", "measure", "total")
    )
    written = 0
    with transaction.atomic():
        summary.delete()
        rows = grouped.iterator(chunk_size=BATCH_ROWS)
        # Read a batch, then write it: the connection cannot fetch while a COPY is open.
        while batch := list(islice(rows, BATCH_ROWS)):
            written += insert_rows(
                CommunityDailyFact._meta.db_table,
                ("day", "region_code", "category_id", "department_id", "measure", "value"),
                batch,
            )
    return written


def heat_window(today: date) -> tuple[date, date]:
    """The finished days of the heat layer's window on ``today``: the 29 days before it."""
    return today - timedelta(days=HEAT_DAYS - 1), today - timedelta(days=1)


def cell_counts(reports: QuerySet[Case], digits: int, *by: str) -> QuerySet[Any]:
    """``(*by, lat, lng, n)``: reports per cell, latitude and longitude rounded to ``digits``
    decimals in the database. The heat rollup and the screen's live count of today both use
    it, so their cells are the same cells."""
    return (
        reports.order_by()
        .filter(lat__isnull=False, lng__isnull=False)
        .annotate(clat=Round("lat", digits), clng=Round("lng", digits))
        .values_list(*by, "clat", "clng")
        .annotate(n=Count("id"))
    )


def rollup_heat(first_day: date, last_day: date) -> int:
    """Count the reports of the local days [first_day, last_day] per grid and cell, in both
    cell sizes (``HEAT_DIGITS``), into ``HeatCell``, replacing the previous window in one
    transaction (the screen reads only the latest, and the rows are derived from ``Case``, so
    nothing is lost). Grouped in the database and written in batches, so memory stays flat;
    returns how many cells were written."""
    since, until = day_bounds(first_day, last_day)
    reports = Case.objects.filter(reported_at__gte=since, reported_at__lt=until)
    written = 0
    with transaction.atomic():
        HeatCell.objects.all().delete()
        for digits in HEAT_DIGITS:
            scale = 10**digits
            rows = cell_counts(reports, digits, "grid_code").iterator(chunk_size=BATCH_ROWS)
            while batch := list(islice(rows, BATCH_ROWS)):
                HeatCell.objects.bulk_create(
                    HeatCell(
                        first_day=first_day,
                        last_day=last_day,
                        digits=digits,
                        grid_code=code,
                        lat_cell=round(float(lat) * scale),
                        lng_cell=round(float(lng) * scale),
                        reports=n,
                    )
                    for code, lat, lng, n in batch
                )
                written += len(batch)
    return written
