"""The command-centre screen at city size (issue 10 "Scale by design"): every panel's server
time, cold (caches cleared), for a street command centre and for the city's, over
``CIVICGRID_BENCH_SCREEN_CASES`` cases (the documented PostgreSQL run uses 10,000,000; the default keeps
``make bench`` short) in 2,400 grids of four streets, beside the first page of the case list
measured in the same run. No timing is asserted.

The cases go straight into the real ``cases_case`` table, all its indexes in place: on
PostgreSQL with one ``INSERT … SELECT … FROM generate_series`` per million, on SQLite through
``bulk_create``. Almost all are closed over three years; a few thousand are open, one in ten of
them past its deadline. The fact history the rollup would have written for them (reported by
category, closed / due / on time by department, evaluated and satisfied per grid and day) is
generated directly in SQL, not rolled up from events: the rollup's own speed is
test_assessment_bench's figure. Each case lies inside its own grid. The per-community
summary of the facts and the heat layer's window are written by the real nightly functions
(``summarise``, ``rollup_heat``; timed), as the scheduler would have done before anyone opens
the screen."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from shapely.geometry import shape

from benchmarks.conftest import tile_grids
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import heat_window, rollup_heat, summarise
from civicgrid.cases.models import Case, Category
from civicgrid.cases.presenters import present_rows
from civicgrid.cases.selectors import case_list
from civicgrid.dashboard.screen import PANELS, screen_data
from civicgrid.geo.models import Grid
from civicgrid.testing.cases import case_category
from civicgrid.testing.users import make_user

# Committed, not rolled back: the rows are vacuumed after loading, as autovacuum would have done
# on a real database (index-only scans need the visibility map); the teardown is a TRUNCATE and
# the seeded rows (categories, indicators) are restored for the benchmarks after this one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

POSTGRES = connection.vendor == "postgresql"
CASES = int(os.environ.get("CIVICGRID_BENCH_SCREEN_CASES", 1_000_000 if POSTGRES else 30_000))
FACT_DAYS = int(os.environ.get("SCREEN_CITY_FACT_DAYS", 400 if POSTGRES else 60))
OPEN = 3_000
STREETS, COMMUNITIES, GRIDS_PER_COMMUNITY = 4, 5, 120  # 2,400 grids
THREE_YEARS_S = 3 * 365 * 24 * 3600
ROUNDS = 5


def city_grids() -> list[Grid]:
    """2,400 grids: four streets of five communities of 120 grids, in one district."""
    return tile_grids(rows=40, cols=60, per_community=GRIDS_PER_COMMUNITY, per_street=COMMUNITIES)


def _box(grid: Grid) -> tuple[float, float, float, float]:
    """South, west, height and width of a grid's bounding box: each case is placed inside its
    own grid, as located intake puts it (so a cell of the heat layer has one grid or two)."""
    west, south, east, north = shape(grid.geometry).bounds
    return south, west, north - south, east - west


def _lookup_tables(grids: list[Grid], categories: list[Category], depts: list[Department]) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_grid (k int PRIMARY KEY, id bigint, code text,"
            " south float8, west float8, height float8, width float8)"
        )
        cur.execute("CREATE TEMP TABLE bench_cat (k int PRIMARY KEY, id bigint)")
        cur.execute("CREATE TEMP TABLE bench_dept (k int PRIMARY KEY, id bigint)")
        cur.executemany(
            "INSERT INTO bench_grid VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(k, g.pk, g.code, *_box(g)) for k, g in enumerate(grids)],
        )
        cur.executemany(
            "INSERT INTO bench_cat VALUES (%s, %s)", list(enumerate(c.pk for c in categories))
        )
        cur.executemany(
            "INSERT INTO bench_dept VALUES (%s, %s)", list(enumerate(d.pk for d in depts))
        )


CASES_SQL = """
INSERT INTO cases_case (number, channel, category_id, description, urgent, lat, lng, address,
  grid_id, grid_code, outside_grid, reporter_name, reporter_phone, reporter_phone_index, status,
  version, level, department_id, handled_in, held_from, stage, stage_started_at, stage_due_at,
  extension_unit, supervised, supervise_reason, rework_count, reopen_count, satisfaction,
  reported_at, accepted_at, closed_at, updated_at)
SELECT 'C' || lpad(s.i::text, 10, '0'), 'gridworker', c.id, '基准事件', false,
  g.south + g.height * ((s.i::bigint * 7919) %% 997) / 997.0,
  g.west + g.width * ((s.i::bigint * 104729) %% 1999) / 1999.0, '', g.id, g.code, false, '', '',
  '', CASE WHEN s.open THEN 'handling' ELSE 'closed' END, 1, 'department', d.id, 'department',
  '', CASE WHEN s.open THEN 'handle' ELSE 'done' END, s.rep,
  CASE WHEN NOT s.open THEN NULL
       WHEN s.i %% 10 = 0 THEN s.rep + interval '3 days' ELSE s.rep + interval '25 days' END,
  '', false, '', 0, 0, CASE WHEN NOT s.open AND s.i %% 3 = 0 THEN 'satisfied' ELSE '' END,
  s.rep, s.rep + interval '30 minutes',
  CASE WHEN s.open THEN NULL ELSE s.rep + interval '2 days' END, s.rep
FROM (
  SELECT i, i >= %(open_from)s AS open,
    CASE WHEN i >= %(open_from)s
      THEN %(now)s - make_interval(secs => (i::bigint * 7919) %% 1728000)
      ELSE %(now)s - interval '2 days' - make_interval(secs => (i::bigint * 7919) %% %(span)s)
    END AS rep
  FROM generate_series(%(lo)s, %(hi)s) AS s(i)
) s
JOIN bench_grid g ON g.k = s.i %% %(n_grids)s
JOIN bench_cat c ON c.k = (s.i / 7) %% %(n_cats)s
JOIN bench_dept d ON d.k = (s.i / 3) %% %(n_depts)s
"""

# Per grid and day: reported by category, closed / due / on time by department, evaluated and
# satisfied per grid; values vary with the grid and the day.
FACTS_SQL = """
INSERT INTO assessment_dailyfact (day, region_code, category_id, department_id, worker_id,
  measure, value)
SELECT day, g.code,
  CASE WHEN m.measure = 'reported' THEN c.id END,
  CASE WHEN m.by_dept THEN d.id END,
  NULL, m.measure, m.base + ((g.k * 31 + day_no * 7) %% 5)
FROM (SELECT (%(first)s::date + n) AS day, n AS day_no
      FROM generate_series(0, %(days)s - 1) AS t(n)) days
CROSS JOIN bench_grid g
JOIN bench_cat c ON c.k = (g.k + day_no) %% %(n_cats)s
JOIN bench_dept d ON d.k = (g.k + day_no) %% %(n_depts)s
CROSS JOIN (VALUES ('reported', false, 4), ('closed', true, 4), ('due_to_close', true, 4),
  ('closed_on_time', true, 2), ('evaluated', false, 2), ('satisfied', false, 1))
  AS m(measure, by_dept, base)
"""


def _load_postgres(grids: list[Grid], n_cats: int, n_depts: int) -> None:
    now = timezone.now()
    step = 1_000_000
    with connection.cursor() as cur:
        # The rows reference only the grids, categories and departments just created, so the
        # foreign-key triggers are skipped while loading: otherwise each row's checks run one
        # by one, as long again as the load at 10 M. Needs a superuser, as the throwaway
        # cluster is.
        cur.execute("SET session_replication_role = replica")
        for lo in range(0, CASES, step):
            began = time.perf_counter()
            hi = min(lo + step, CASES)
            cur.execute(
                CASES_SQL,
                {
                    "lo": lo,
                    "hi": hi - 1,
                    "open_from": CASES - OPEN,
                    "now": now,
                    "span": THREE_YEARS_S,
                    "n_grids": len(grids),
                    "n_cats": n_cats,
                    "n_depts": n_depts,
                },
            )
            print(f"  cases {lo:,}..{hi:,} in {time.perf_counter() - began:.0f} s")
        today = timezone.localdate()
        cur.execute(
            FACTS_SQL,
            {
                "first": today - timedelta(days=FACT_DAYS),
                "days": FACT_DAYS,
                "n_cats": n_cats,
                "n_depts": n_depts,
            },
        )
        cur.execute("SET session_replication_role = origin")
        cur.execute("VACUUM ANALYZE cases_case")
        cur.execute("VACUUM ANALYZE assessment_dailyfact")


def _load_sqlite(grids: list[Grid], categories: list[Category], depts: list[Department]) -> None:
    now = timezone.now()
    rows = []
    for i in range(CASES):
        open_ = i >= CASES - OPEN
        if open_:
            reported = now - timedelta(seconds=(i * 7919) % 1_728_000)
        else:
            reported = now - timedelta(days=2, seconds=(i * 7919) % THREE_YEARS_S)
        grid = grids[i % len(grids)]
        south, west, height, width = _box(grid)
        rows.append(
            Case(
                number=f"C{i:010d}",
                channel="gridworker",
                category=categories[(i // 7) % len(categories)],
                description="基准事件",
                lat=south + height * ((i * 7919) % 997) / 997,
                lng=west + width * ((i * 104729) % 1999) / 1999,
                grid=grid,
                grid_code=grid.code,
                status="handling" if open_ else "closed",
                version=1,
                level="department",
                department=depts[(i // 3) % len(depts)],
                handled_in="department",
                stage="handle" if open_ else "done",
                stage_started_at=reported,
                stage_due_at=(reported + timedelta(days=3 if i % 10 == 0 else 25))
                if open_
                else None,
                satisfaction="satisfied" if not open_ and i % 3 == 0 else "",
                reported_at=reported,
                accepted_at=reported + timedelta(minutes=30),
                closed_at=None if open_ else reported + timedelta(days=2),
                updated_at=reported,
            )
        )
    Case.objects.bulk_create(rows, batch_size=5000)
    today = timezone.localdate()
    facts = []
    for n in range(FACT_DAYS):
        day = today - timedelta(days=FACT_DAYS - n)
        for k, grid in enumerate(grids):
            cat = categories[(k + n) % len(categories)]
            dept = depts[(k + n) % len(depts)]
            for measure, by_dept, base in (
                ("reported", False, 4),
                ("closed", True, 4),
                ("due_to_close", True, 4),
                ("closed_on_time", True, 2),
                ("evaluated", False, 2),
                ("satisfied", False, 1),
            ):
                facts.append(
                    DailyFact(
                        day=day,
                        region_code=grid.code,
                        category=cat if measure == "reported" else None,
                        department=dept if by_dept else None,
                        measure=measure,
                        value=base + (k * 31 + n * 7) % 5,
                    )
                )
    DailyFact.objects.bulk_create(facts, batch_size=5000)


def _timings(run: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    """Best and median milliseconds over ``rounds`` runs."""
    times = []
    for _r in range(rounds):
        began = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - began))
    return min(times), statistics.median(times)


def test_screen_at_city_size(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    grids = city_grids()
    categories = [case_category(code) for code in ("0101", "0102", "0201", "0202", "0301")]
    depts = Department.objects.bulk_create(
        [Department(code=f"d{i}", name=f"部门{i}", region_code="520102") for i in range(12)]
    )
    began = time.perf_counter()
    if POSTGRES:
        _lookup_tables(grids, categories, depts)
        _load_postgres(grids, len(categories), len(depts))
    else:
        _load_sqlite(grids, categories, depts)
    load_s = time.perf_counter() - began
    n_cases = Case.objects.count()
    n_facts = DailyFact.objects.count()
    # What the nightly rollup would have written beside the facts (the per-community summary)
    # and for the heat layer; timed, as the night's share of the screen's cost.
    began = time.perf_counter()
    rows = summarise()
    report_throughput(
        f"community summary of the facts: {rows:,} rows in", time.perf_counter() - began, "s"
    )
    began = time.perf_counter()
    cells = rollup_heat(*heat_window(timezone.localdate()))
    report_throughput(f"nightly heat rollup: {cells:,} cells in", time.perf_counter() - began, "s")
    if POSTGRES:  # as autovacuum would after the nightly job
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE assessment_communitydailyfact")
            cur.execute("VACUUM ANALYZE assessment_heatcell")

    street = make_user("street-command", Role.COMMAND, grids[0].code[:9])
    city = make_user("city-command", Role.COMMAND, "5201")
    report_throughput(f"loaded {n_cases:,} cases and {n_facts:,} facts in", load_s, "s")

    def cold(user: Any, panels: list[str] | None = None) -> dict[str, Any]:
        cache.clear()
        return screen_data(user, panels)

    for user in (street, city):
        data = cold(user)
        assert all(panel["ok"] for panel in data["panels"].values()), data["panels"]

    def baseline() -> list[Any]:
        return present_rows(case_list(city).order_by("-reported_at", "-id")[:50])

    benchmark.pedantic(lambda: cold(city), rounds=ROUNDS, iterations=1)
    base_best, base_median = _timings(baseline)
    report_throughput("case list first page, city (baseline), best", base_best, "ms")
    report_throughput("case list first page, city (baseline), median", base_median, "ms")
    for label, user in (("street", street), ("city", city)):
        best, median = _timings(partial(cold, user))
        report_throughput(f"screen data, {label} command centre, cold, best", best, "ms")
        report_throughput(f"screen data, {label} command centre, cold, median", median, "ms")
        report_throughput(f"  {label} screen / baseline (median)", median / base_median, "x")
        for name in PANELS:
            _best, p_median = _timings(partial(cold, user, [name]), 3)
            report_throughput(f"    {label} panel {name} (cold, median)", p_median, "ms")
