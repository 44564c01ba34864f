"""The screen's data costs the same number of queries whatever the number of cases, grids and
people: every panel groups in the database (docs/architecture.md rule 6)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import summarise
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.dashboard.screen import screen_data
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def add_world(city: TestCity, users: RoleUsers, n: int, first_day: int) -> None:
    now = timezone.now()
    for i in range(n):
        grid = list(city.grids.values())[i % 3]
        case = Case.objects.create(
            number=f"Q{n}-{i}",
            channel=Channel.GRID_WORKER,
            category=case_category(),
            description="测试事件",
            grid=grid,
            grid_code=grid.code,
            lat=26.505,
            lng=106.705,
            status=CaseStatus.HANDLING,
            stage="handle",
            stage_started_at=now - timedelta(days=2),
            stage_due_at=now - timedelta(hours=i + 1),
            reported_at=now - timedelta(hours=i),
            updated_at=now,
        )
        CaseEvent.objects.create(case=case, at=now, action=Action.REPORT, to_status="reported")
        DailyFact.objects.create(
            day=timezone.localdate() - timedelta(days=first_day + i),
            region_code=grid.code,
            measure="reported",
            value=2,
            category=case_category(),
        )
        DailyFact.objects.create(
            day=timezone.localdate() - timedelta(days=first_day + i),
            region_code=grid.code,
            measure="disposed",
            value=2,
            department=users.dept,
        )
        make_person(grid, f"居民{n}{i}", id_number="", birth_date=date(1950 + i, 1, 1))
    summarise()  # as the rollup does after writing facts


def queries(user: Any) -> int:
    # A fresh user each time: scope codes and permissions are cached on the object.
    user = type(user).objects.get(pk=user.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        data = screen_data(user)
    assert all(p["ok"] for p in data["panels"].values())
    return len(captured)


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_data(city: TestCity, users: RoleUsers) -> None:
    add_world(city, users, 2, first_day=1)
    few = queries(users.command)
    add_world(city, users, 12, first_day=3)
    assert queries(users.command) == few
    assert few <= 60
