"""List pages at 10,000 rows and at city scale (issue 12, goal 4): the p95 of each page at
``CIVICGRID_BENCH_ROWS`` rows (default 1,000,000; 100000 for a quick run) over its p95 at
10,000 rows, measured in the same run on the same database. Goal: every ratio ≤ 2.

Rows are cloned in SQL from one case and one person made through the ORM (``INSERT … SELECT``
over a counter), so loading a million takes seconds and the rows are what the ORM writes
(encrypted fields included). The same database grows from 10,000 to the large size, so both
figures share grids, users and caches. Requests go through Django's test client (in process):
middleware, policy, presenters and templates included, no network.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client

from benchmarks.conftest import tile_grids
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case, Category
from civicgrid.registry.models import Person

ROWS = int(os.environ.get("CIVICGRID_BENCH_ROWS", "1000000"))
SMALL = 10_000
REQUESTS = int(os.environ.get("CIVICGRID_BENCH_REQUESTS", "30"))
CHUNK = 200_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"
NEWEST = datetime(2026, 11, 23, 2, 0, tzinfo=ZoneInfo("UTC"))


def _grid_case(column: str, grids: list[Any], n: str = "n") -> str:
    """SQL picking grid ``n % len(grids)``'s id or code."""
    whens = " ".join(
        f"WHEN {i} THEN " + (str(g.pk) if column == "id" else f"'{g.code}'")
        for i, g in enumerate(grids)
    )
    return f"CASE {n} % {len(grids)} {whens} END"


def _clone(model: type[Model], template: Model, start: int, stop: int, **exprs: str) -> None:
    """Insert copies ``start..stop-1`` of ``template``; ``exprs`` give SQL (in terms of the
    counter ``n``) for the columns that must differ."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    select = ", ".join(exprs.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    for low in range(start, stop, CHUNK):
        high = min(stop, low + CHUNK) - 1
        sql = (
            f"WITH RECURSIVE series(n) AS (SELECT {low} UNION ALL SELECT n + 1 FROM series "
            f"WHERE n < {high}) "
            f'INSERT INTO "{table}" ({names}) SELECT {select} FROM "{table}" t, series '
            f"WHERE t.id = {template.pk}"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def _before_newest(seconds: str) -> str:
    if connection.vendor == "postgresql":
        return f"TIMESTAMPTZ '{NEWEST:%Y-%m-%d %H:%M:%S}+00' - ({seconds}) * INTERVAL '1 second'"
    return f"strftime('%Y-%m-%d %H:%M:%f', '{NEWEST:%Y-%m-%d %H:%M:%S}', '-' || ({seconds}) || ' seconds')"


def _text(n: str) -> str:
    return f"CAST({n} AS TEXT)" if connection.vendor == "sqlite" else f"CAST({n} AS VARCHAR)"


def _letter(n: str) -> str:
    return f"substr('{LETTERS}', ({n}) % 26 + 1, 1)"


class World:
    def __init__(self) -> None:
        self.grids = tile_grids(rows=20, cols=50)  # 1,000 grids, 5 communities
        category = Category.objects.filter(parent__isnull=False).first()
        assert category is not None, "seeded categories are expected"
        grid = self.grids[0]
        self.case = Case.objects.create(
            number="BENCH-0",
            channel=Channel.GRID_WORKER,
            category=category,
            description="小区门口垃圾堆放未清运",
            grid=grid,
            grid_code=grid.code,
            reporter_name="张三",
            reporter_phone="13800000000",
            reported_at=NEWEST,
            stage_started_at=NEWEST,
            updated_at=NEWEST,
        )
        self.person = Person(grid=grid, name="张伟", phone="13800000001")
        self.person.fill_derived()
        self.person.save()
        self.cases = self.people = 1
        community = self.grids[0].code[:12]
        self.command = self._user("bench_command", Role.COMMAND, "5201")
        self.secretary = self._user("bench_secretary", Role.SECRETARY, community)

    @staticmethod
    def _user(username: str, role: str, code: str) -> User:
        user = User.objects.create_user(username, password="x", role=role)
        Scope.objects.create(user=user, code=code)
        return user

    def grow(self, rows: int) -> None:
        _clone(
            Case,
            self.case,
            self.cases,
            rows,
            number=f"'BENCH-' || {_text('n')}",
            grid_id=_grid_case("id", self.grids),
            grid_code=_grid_case("code", self.grids),
            reported_at=_before_newest("n * 37"),
            stage_started_at=_before_newest("n * 37"),
            status="CASE n % 5 WHEN 0 THEN 'closed' ELSE t.status END",
        )
        _clone(
            Person,
            self.person,
            self.people,
            rows,
            grid_id=_grid_case("id", self.grids, "(n / 7)"),
            grid_code=_grid_case("code", self.grids, "(n / 7)"),
            name=f"'居民' || {_text('n')}",
            name_initials=_letter("n") + " || " + _letter("n / 26") + " || " + _letter("n / 676"),
        )
        self.cases = self.people = rows
        with connection.cursor() as cursor:
            # PostgreSQL's autovacuum would have analysed tables that grew this much.
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")


def _p95(client: Client, url: str) -> float:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
    return statistics.quantiles(times, n=20)[-1]


PAGES: list[tuple[str, str, str]] = [
    ("case list, first page, command centre", "command", "/cases/list/"),
    ("case list, last page, command centre", "command", "/cases/list/?last=1"),
    ("case list, first page, community secretary", "secretary", "/cases/list/"),
    ("case list, last page, community secretary", "secretary", "/cases/list/?last=1"),
    ("person list, first page", "secretary", "/registry/people/"),
    ("person list, last page", "secretary", "/registry/people/?last=1"),
    ("person list, first page, whole city", "command", "/registry/people/"),
    ("person search by initials", "command", "/registry/search/?q=abc"),
    ("GET /api/v1/cases/", "command", "/api/v1/cases/"),
    ("GET /api/v1/registry/persons", "secretary", "/api/v1/registry/persons"),
]


def _measure(world: World) -> dict[str, float]:
    clients = {}
    for role in ("command", "secretary"):
        clients[role] = Client()
        clients[role].force_login(getattr(world, role))
    return {label: _p95(clients[role], url) for label, role, url in PAGES}


@pytest.mark.django_db
def test_list_pages_do_not_grow_with_the_table(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    world = World()
    world.grow(SMALL)
    small = _measure(world)
    started = time.perf_counter()
    world.grow(ROWS)
    loaded = time.perf_counter() - started
    large = benchmark.pedantic(_measure, args=(world,), rounds=1, iterations=1)
    print(f"\n{connection.vendor}: loaded {ROWS - SMALL:,} more cases and people in {loaded:.0f} s")
    worst = 0.0
    for label, _role, _url in PAGES:
        ratio = large[label] / small[label]
        worst = max(worst, ratio)
        line = (
            f"{connection.vendor} {label}: p95 {small[label] * 1000:.1f} ms at {SMALL:,} rows, "
            f"{large[label] * 1000:.1f} ms at {ROWS:,}"
        )
        print(f"{line}, ratio {ratio:.2f} (goal ≤ 2)")
        report_throughput(f"{line}; ratio ×100", ratio * 100, "ratio_x100")
    print(f"worst ratio {worst:.2f}")
