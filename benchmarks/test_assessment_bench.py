"""Assessment at scale (issue 10 "Scale"): the rollup over bulk-loaded synthetic case events
(1,000,000 on PostgreSQL, fewer on SQLite), reported in events/s beside a plain grouped count
of the same events in the same run, so the rollup's own cost reads as a ratio whatever the
machine; and the screen's selectors over the resulting facts in ms beside a trivial indexed
query. No timing is asserted."""

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
    return command, CaseEvent.objects.count()


def test_rollup_and_screen_selectors(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    command, n_events = _load(_events_wanted())
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
