"""Assessment at scale (issue 10 "Scale"): the rollup over bulk-loaded synthetic case events
(1,000,000 on PostgreSQL, fewer on SQLite), reported in events/s beside a plain grouped count
of the same events in the same run, so the rollup's own cost reads as a ratio whatever the
machine; and the screen's selectors over the resulting facts in ms beside a trivial indexed
query. No timing is asserted.

On SQLite the cases and events go in through ``bulk_create``. On PostgreSQL that took over
25 minutes for a million events, so the same history is written in SQL: the cases with one
``INSERT … SELECT … FROM generate_series``, the events with one ``INSERT … SELECT … FROM
cases_case CROSS JOIN (VALUES …SCRIPT…)``, workers, departments, grids and categories mapped
through small TEMP lookup tables (as test_screen_citywide_bench does), then ``ANALYZE``.

Foreign keys: Django's are ``DEFERRABLE INITIALLY DEFERRED``, and pytest-django's teardown runs
``SET CONSTRAINTS ALL IMMEDIATE``, which would check every queued foreign key of the loaded
rows at once, untimed and about as long as the load. The PostgreSQL loader instead runs
``SET CONSTRAINTS ALL IMMEDIATE`` before its inserts, so each statement's rows are checked as
they go in (every key is still verified, and the cost shows in the reported load time), and
``SET CONSTRAINTS ALL DEFERRED`` after, so the rollup runs under the usual deferred mode.
Disabling the checks (``session_replication_role``) would be faster but would not verify the
data, and needs a superuser."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncDate

from benchmarks.conftest import tile_grids
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.selectors import daily_series, rate_by, totals_by
from civicgrid.cases.choices import Action, CaseStatus, Channel, Stage
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.geo.models import Grid
from civicgrid.testing.cases import case_category

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
START = date(2026, 8, 1)
DAYS = 61
S = CaseStatus
# One case's history: (action, to_status, stage ended, hour offset).
SCRIPT = [
    (Action.REPORT, S.REPORTED, "", 0),
    (Action.ACCEPT, S.ACCEPTED, Stage.ACCEPT, 0.5),
    (Action.ROUTE, S.TO_DISPATCH, "", 0.6),
    (Action.DISPATCH, S.DISPATCHED, Stage.DISPATCH, 1),
    (Action.SIGN_FOR, S.HANDLING, "", 1.5),
    (Action.FEEDBACK, S.TO_VERIFY, Stage.HANDLE, 20),
    (Action.VERIFY, S.CLOSED, Stage.VERIFY, 22),
    (Action.EVALUATE, S.CLOSED, "", 30),
]


def _events_wanted() -> int:
    return 1_000_000 if connection.vendor == "postgresql" else 120_000


def _load(n_events: int) -> tuple[User, int]:
    grids = tile_grids(rows=10, cols=20)
    password = make_password(None)
    workers = User.objects.bulk_create(
        [User(username=f"gw{g.code}", role=Role.GRID_WORKER, password=password) for g in grids]
    )
    Scope.objects.bulk_create(
        [Scope(user=w, code=g.code) for w, g in zip(workers, grids, strict=True)]
    )
    depts = Department.objects.bulk_create(
        [Department(code=f"d{i}", name=f"部门{i}", region_code="520102") for i in range(8)]
    )
    command = User.objects.create(username="bench-command", role=Role.COMMAND, password=password)
    street = grids[0].code[:9]
    Scope.objects.create(user=command, code=street)
    minors = list(Category.objects.filter(parent__isnull=False)[:20]) or [case_category()]
    n_cases = n_events // len(SCRIPT)
    if connection.vendor == "postgresql":
        _load_postgres(n_cases, grids, workers, depts, minors)
    else:
        _load_sqlite(n_cases, grids, workers, depts, minors)
    return command, CaseEvent.objects.count()


def _load_sqlite(
    n_cases: int,
    grids: list[Grid],
    workers: list[User],
    depts: list[Department],
    minors: list[Category],
) -> None:
    span = DAYS * 24
    cases = []
    for i in range(n_cases):
        grid = grids[i % len(grids)]
        at = datetime.combine(START, dtime(8), tzinfo=TZ) + timedelta(hours=(i * 7919) % span)
        cases.append(
            Case(
                number=f"B{i:09d}",
                channel=Channel.GRID_WORKER,
                category=minors[i % len(minors)],
                description="基准",
                grid_code=grid.code,
                status=S.CLOSED,
                stage=Stage.DONE,
                stage_started_at=at,
                reported_at=at,
                updated_at=at,
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    rows = []
    for i, case in enumerate(Case.objects.order_by("pk").only("pk", "reported_at")):
        worker = workers[i % len(workers)]
        dept = depts[i % len(depts)]
        for action, to_status, stage, hours in SCRIPT:
            at = case.reported_at + timedelta(hours=hours)
            rows.append(
                CaseEvent(
                    case_id=case.pk,
                    at=at,
                    action=action,
                    to_status=to_status,
                    actor=worker,
                    actor_role=Role.GRID_WORKER,
                    to_department=dept if action == Action.DISPATCH else None,
                    stage=stage,
                    deadline=at + timedelta(hours=(i % 3) - 1) if stage else None,
                    on_time=(i % 3 != 0) if stage else None,
                    next_deadline=at + timedelta(hours=24),
                    data={"satisfaction": "satisfied"} if action == Action.EVALUATE else {},
                )
            )
        if len(rows) >= 20_000:
            CaseEvent.objects.bulk_create(rows, batch_size=5000)
            rows = []
    CaseEvent.objects.bulk_create(rows, batch_size=5000)


def _lookup_tables(
    grids: list[Grid], workers: list[User], depts: list[Department], minors: list[Category]
) -> None:
    """Index -> row maps for the SQL below: bench_grid (code), bench_worker, bench_dept,
    bench_cat (ids), keyed 0..n-1 in the order the Python loader indexes its lists."""
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_grid (k int PRIMARY KEY, code text)")
        cur.execute("CREATE TEMP TABLE bench_worker (k int PRIMARY KEY, id bigint)")
        cur.execute("CREATE TEMP TABLE bench_dept (k int PRIMARY KEY, id bigint)")
        cur.execute("CREATE TEMP TABLE bench_cat (k int PRIMARY KEY, id bigint)")
        cur.executemany(
            "INSERT INTO bench_grid VALUES (%s, %s)", [(k, g.code) for k, g in enumerate(grids)]
        )
        for table, objs in (
            ("bench_worker", workers),
            ("bench_dept", depts),
            ("bench_cat", minors),
        ):
            cur.executemany(
                f"INSERT INTO {table} VALUES (%s, %s)", [(k, o.pk) for k, o in enumerate(objs)]
            )


# Case i as _load_sqlite builds it: number B{i:09d}, category minors[i % n], grid_code
# grids[i % n], reported (and stage started, updated) START 08:00 + (i * 7919) % span hours;
# every other column at the model's default.
CASES_SQL = """
INSERT INTO cases_case (number, channel, category_id, description, urgent, lat, lng, address,
  grid_id, grid_code, outside_grid, reporter_id, reporter_name, reporter_phone,
  reporter_phone_index, first_owner_id, status, version, rule_id, level, department_id,
  assignee_id, handled_in, held_from, stage, stage_started_at, stage_due_at, extension_amount,
  extension_unit, supervised, supervise_reason, escalated_for, rework_count, reopen_count,
  satisfaction, merged_into_id, reported_at, accepted_at, closed_at, updated_at)
SELECT 'B' || lpad(s.i::text, 9, '0'), %(channel)s, c.id, '基准', false, NULL, NULL, '',
  NULL, g.code, false, NULL, '', '',
  '', NULL, %(status)s, 0, NULL, '', NULL,
  NULL, '', '', %(stage)s, s.at, NULL, NULL,
  '', false, '', NULL, 0, 0,
  '', NULL, s.at, NULL, NULL, s.at
FROM (
  SELECT i, %(start)s + make_interval(hours => ((i::bigint * 7919) %% %(span)s)::int) AS at
  FROM generate_series(0, %(n_cases)s - 1) AS t(i)
) s
JOIN bench_grid g ON g.k = s.i %% %(n_grids)s
JOIN bench_cat c ON c.k = s.i %% %(n_cats)s
ORDER BY s.i
"""

# Each bench case's SCRIPT, i being the case's index (its number): actor workers[i % n],
# to_department depts[i % n] on dispatch, deadline and on_time on the steps that end a stage.
EVENTS_SQL = """
INSERT INTO cases_caseevent (case_id, at, action, from_status, to_status, actor_id,
  actor_role, actor_department_id, to_department_id, stage, deadline, on_time, next_deadline,
  note, data)
SELECT c.id, e.at, v.action, '', v.to_status, w.id,
  %(role)s, NULL, CASE WHEN v.action = %(dispatch)s THEN d.id END, v.stage,
  CASE WHEN v.stage <> '' THEN e.at + make_interval(hours => c.i %% 3 - 1) END,
  CASE WHEN v.stage <> '' THEN c.i %% 3 <> 0 END,
  e.at + interval '24 hours',
  '', CASE WHEN v.action = %(evaluate)s THEN '{{"satisfaction": "satisfied"}}'::jsonb
           ELSE '{{}}'::jsonb END
FROM (
  SELECT id, substr(number, 2)::int AS i, reported_at FROM cases_case WHERE number LIKE 'B%%'
) c
CROSS JOIN (VALUES {script}) AS v(ord, action, to_status, stage, hours)
CROSS JOIN LATERAL (
  SELECT c.reported_at + v.hours * interval '1 hour' AS at
) e
JOIN bench_worker w ON w.k = c.i %% %(n_workers)s
JOIN bench_dept d ON d.k = c.i %% %(n_depts)s
ORDER BY c.id, v.ord
"""


def _load_postgres(
    n_cases: int,
    grids: list[Grid],
    workers: list[User],
    depts: list[Department],
    minors: list[Category],
) -> None:
    _lookup_tables(grids, workers, depts, minors)
    # SCRIPT as a VALUES list of named parameters: (ord, action, to_status, stage, hours).
    script = ", ".join(
        f"(%(o{n})s::int, %(a{n})s, %(t{n})s, %(s{n})s, %(h{n})s::numeric)"
        for n in range(len(SCRIPT))
    )
    steps: dict[str, Any] = {}
    for n, (action, to_status, stage, hours) in enumerate(SCRIPT):
        steps |= {f"o{n}": n, f"a{n}": str(action), f"t{n}": str(to_status)}
        steps |= {f"s{n}": str(stage), f"h{n}": str(hours)}
    with connection.cursor() as cur:
        # Check each foreign key as its row goes in, not all at teardown (module docstring).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(
            CASES_SQL,
            {
                "channel": str(Channel.GRID_WORKER),
                "status": str(S.CLOSED),
                "stage": str(Stage.DONE),
                "start": datetime.combine(START, dtime(8), tzinfo=TZ),
                "span": DAYS * 24,
                "n_cases": n_cases,
                "n_grids": len(grids),
                "n_cats": len(minors),
            },
        )
        events: dict[str, Any] = {
            "role": str(Role.GRID_WORKER),
            "dispatch": str(Action.DISPATCH),
            "evaluate": str(Action.EVALUATE),
            "n_workers": len(workers),
            "n_depts": len(depts),
        }
        cur.execute(EVENTS_SQL.format(script=script), events | steps)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        cur.execute("ANALYZE cases_case")
        cur.execute("ANALYZE cases_caseevent")


def test_rollup_and_screen_selectors(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    began = time.perf_counter()
    command, n_events = _load(_events_wanted())
    report_throughput(f"loaded {n_events:,} case events in", time.perf_counter() - began, "s")
    end = START + timedelta(days=DAYS + 3)

    written = benchmark.pedantic(rollup, args=(START, end), rounds=2, iterations=1)
    assert written > 0 and DailyFact.objects.exists()
    rollup_rate = n_events / benchmark.stats.stats.min

    # Baseline: one plain grouped count of the same events by local day and action.
    timings = []
    for _round in range(2):
        began = time.perf_counter()
        list(
            CaseEvent.objects.annotate(d=TruncDate("at", tzinfo=TZ))
            .values("d", "action")
            .order_by()
            .annotate(n=Count("pk"))
        )
        timings.append(time.perf_counter() - began)
    base_rate = n_events / min(timings)
    report_throughput(f"rollup of {n_events:,} case events", rollup_rate, "events/s")
    report_throughput("plain grouped count of the same events (baseline)", base_rate, "events/s")
    report_throughput("rollup as a share of the baseline", 100 * rollup_rate / base_rate, "%")

    # The screen's selectors over a month of facts, as a street command centre.
    month = (START, START + timedelta(days=30))
    calls = {
        "daily_series": lambda: daily_series(command, "reported", *month),
        "totals_by category": lambda: totals_by(command, "reported", *month, by="category"),
        "totals_by grid": lambda: totals_by(command, "closed", *month, by="grid"),
        "rate_by department": lambda: rate_by(
            command, "closed_on_time", ["due_to_close", "-deferred"], *month, by="department"
        ),
    }

    def trivial() -> None:
        DailyFact.objects.filter(measure="reported", day=START).exists()

    def best(fn: Callable[[], Any]) -> float:
        times = []
        for _ in range(5):
            began = time.perf_counter()
            fn()
            times.append(time.perf_counter() - began)
        return min(times) * 1000

    base_ms = best(trivial)
    report_throughput("trivial indexed fact query (baseline)", base_ms * 1000, "µs")
    for label, fn in calls.items():
        ms = best(fn)
        report_throughput(f"screen selector {label}", ms * 1000, "µs")
        report_throughput(f"→ {label} as a multiple of the baseline", ms / base_ms, "x")
