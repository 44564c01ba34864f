"""Helpers for tests that need cases: a point in each test-city grid, a fixed working-day
clock, and a case reported through the real service."""

from __future__ import annotations

import importlib
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case, Category
from civicgrid.cases.services import case_report

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 23 November 2026, 10:00 in Guiyang: an ordinary working morning.
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
# (lat, lng) inside each grid of the test city, and one outside all of them.
IN_A1_WEST = (26.505, 106.705)
IN_A1_EAST = (26.505, 106.715)
IN_B1 = (26.505, 106.735)
OUTSIDE = (26.505, 106.90)


def ensure_case_seeds() -> None:
    """Put back the categories and rules the data migration seeds: a transactional test
    (browser, PostgreSQL race) flushes the database, migrations' data included."""
    if Category.objects.exists():
        return
    from django.apps import apps
    from django.db import connection

    seed = importlib.import_module("civicgrid.cases.migrations.0002_seed_categories_and_rules")
    # The data migration reads the alias from its schema editor: the test database's.
    seed.seed(apps, SimpleNamespace(connection=connection))


def case_category(code: str = "0102") -> Category:
    """A seeded 小类 (default 暴露垃圾)."""
    ensure_case_seeds()
    return Category.objects.get(code=code)


def report_case(
    actor: Any,
    *,
    point: tuple[float, float] | None = IN_A1_WEST,
    at: datetime = MONDAY_10,
    category: Category | None = None,
    **kwargs: Any,
) -> Case:
    kwargs.setdefault("channel", Channel.GRID_WORKER)
    kwargs.setdefault("description", "小区门口垃圾堆放未清运")
    lat, lng = point if point else (None, None)
    return case_report(
        category=category or case_category(),
        lat=lat,
        lng=lng,
        actor=actor,
        at=at,
        **kwargs,
    )


def put_in_status(case: Case, status: str, **fields: Any) -> Case:
    """Move a case straight to ``status`` for a test's setup (bypasses the workflow on
    purpose: the test is about what happens next)."""
    from civicgrid.cases.choices import STAGE_OF_STATUS

    Case.objects.filter(pk=case.pk).update(status=status, stage=STAGE_OF_STATUS[status], **fields)
    case.refresh_from_db()
    return case
