"""The command-centre screen at scale (issue 10 "Fast"): the server time of all its panels for a
street command centre, measured over a small case history and again after four times as much
history was added, beside a same-run baseline (the first page of the case list, 50 rows through
the list presenter), so the figures read as ratios whatever the machine.

The screen reads history from the fact table and only open cases live, so its time must not
grow with the number of closed cases: the "growth" ratio stays near 1 while history grows."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from benchmarks.conftest import tile_grids
from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import DailyFact
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.presenters import present_rows
from civicgrid.cases.selectors import case_list
from civicgrid.dashboard.screen import PANELS, screen_data
from civicgrid.registry.choices import Residency, Sex
from civicgrid.registry.models import Person
from civicgrid.testing.cases import case_category
from civicgrid.testing.users import make_user

pytestmark = pytest.mark.django_db

OPEN_CASES = 5_000
HISTORY = 40_000  # closed cases over the last three years; then four times as many, older
FACT_DAYS = 60
PEOPLE = 20_000
_serial = itertools.count(1)


def _cases(
    grids: list[Any], n: int, *, open_: bool, oldest_days: int, newest_days: int = 0
) -> None:
    now = timezone.now()
    rng = random.Random(n)
    categories = [case_category(code) for code in ("0101", "0102", "0201")]
    batch = []
    for _i in range(n):
        grid = rng.choice(grids)
        reported = now - timedelta(
            minutes=rng.randrange(max(30, newest_days * 24 * 60), oldest_days * 24 * 60)
        )
        batch.append(
            Case(
                number=f"B{next(_serial):09d}",
                channel=Channel.GRID_WORKER,
                category=rng.choice(categories),
                description="基准事件",
                grid=grid,
                grid_code=grid.code,
                lat=26.55 + rng.random() * 0.1,
                lng=106.6 + rng.random() * 0.2,
                status=CaseStatus.HANDLING if open_ else CaseStatus.CLOSED,
                stage="handle" if open_ else "done",
                stage_started_at=reported,
                stage_due_at=reported + timedelta(days=3) if open_ else None,
                reported_at=reported,
                closed_at=None if open_ else reported + timedelta(days=2),
                updated_at=reported,
            )
        )
    Case.objects.bulk_create(batch, batch_size=2000)


def _facts(grids: list[Any]) -> None:
    today = timezone.localdate()
    category = case_category()
    rows = []
    for back in range(1, FACT_DAYS + 1):
        day = today - timedelta(days=back)
        for grid in grids:
            for measure, value in (
                ("reported", 5),
                ("closed", 4),
                ("evaluated", 2),
                ("satisfied", 2),
            ):
                rows.append(
                    DailyFact(
                        day=day,
                        region_code=grid.code,
                        measure=measure,
                        value=value,
                        category=category if measure == "reported" else None,
                    )
                )
    DailyFact.objects.bulk_create(rows, batch_size=5000)


def _people(grids: list[Any]) -> None:
    rng = random.Random(7)
    Person.objects.bulk_create(
        [
            Person(
                name="居民",
                grid=(g := rng.choice(grids)),
                grid_code=g.code,
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                birth_date=date(1940 + rng.randrange(80), 1 + rng.randrange(12), 1),
                residency=rng.choice(list(Residency.values)),
            )
            for _i in range(PEOPLE)
        ],
        batch_size=5000,
    )


def _best_ms(run: Callable[[], Any], rounds: int = 5) -> float:
    timings = []
    for _r in range(rounds):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return 1000 * min(timings)


def test_screen_time_does_not_grow_with_history(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    grids = tile_grids(rows=20, cols=50)  # 1,000 grids, one street
    command = make_user("bench-command", Role.COMMAND, grids[0].code[:9])
    _cases(grids, OPEN_CASES, open_=True, oldest_days=20)
    _cases(grids, HISTORY, open_=False, oldest_days=3 * 365)
    _facts(grids)
    _people(grids)
    today_cases = list(Case.objects.filter(status=CaseStatus.HANDLING)[:500])
    CaseEvent.objects.bulk_create(
        CaseEvent(case=c, at=timezone.now(), action=Action.REPORT, to_status=CaseStatus.REPORTED)
        for c in today_cases
    )

    def cold() -> dict[str, Any]:
        cache.clear()  # the population and heat caches too: the worst case, every 5 minutes
        return screen_data(command)

    def baseline() -> list[Any]:
        page = case_list(command).order_by("-reported_at", "-id")[:50]
        return present_rows(page)

    data = cold()
    assert all(panel["ok"] for panel in data["panels"].values()), data["panels"]
    small_ms = _best_ms(cold)
    small_base = _best_ms(baseline)

    # Older years, as a city's history grows: a day's volume stays what it was.
    _cases(grids, 4 * HISTORY, open_=False, oldest_days=15 * 365, newest_days=3 * 365)
    benchmark.pedantic(cold, rounds=5, iterations=1)
    large_ms = 1000 * benchmark.stats.stats.min
    warm_ms = _best_ms(lambda: screen_data(command))
    large_base = _best_ms(baseline)

    report_throughput(f"screen data, {HISTORY:,} closed cases (cold caches)", small_ms, "ms")
    report_throughput(f"screen data, {5 * HISTORY:,} closed cases (cold caches)", large_ms, "ms")
    report_throughput("screen data, warm caches (every minute's refresh)", warm_ms, "ms")
    for name in PANELS:

        def cold_panel(name: str = name) -> None:
            cache.clear()
            screen_data(command, [name])

        panel_ms = _best_ms(cold_panel, 3)
        report_throughput(f"  panel {name} (cold)", panel_ms, "ms")
    report_throughput("case list first page (baseline)", large_base, "ms")
    report_throughput("screen / case-list page, as a multiple", large_ms / large_base, "x")
    report_throughput(
        "screen growth with 5x history, percent of before", 100 * large_ms / small_ms, "%"
    )
    report_throughput(
        "baseline growth with 5x history, percent of before", 100 * large_base / small_base, "%"
    )
