"""The daily verdicts read patrol rows and write in bulk: the number of queries does not
grow with the number of workers (issue 9: 25,000 workers in a minute)."""

from typing import Any

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.models import DailyCompliance, Patrol
from civicgrid.fieldwork.tests.walks import MONDAY, at


def add_workers(grid: Any, count: int) -> None:
    workers = User.objects.bulk_create(
        [User(username=f"g{grid.pk}-{i}", role=Role.GRID_WORKER) for i in range(count)]
    )
    Scope.objects.bulk_create([Scope(user=w, code=grid.code) for w in workers])
    Patrol.objects.bulk_create(
        [
            Patrol(
                worker=w, grid=grid, grid_code=grid.code, started_at=at(hour),
                ended_at=at(hour, 40), duration_s=2400, inside_share=0.95,
            )
            for w in workers
            for hour in (9, 15)
        ]
    )  # fmt: skip


def test_queries_do_not_grow_with_workers(
    city: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    add_workers(city.grids["a1_east"], 5)
    with django_assert_max_num_queries(6):
        compliance_for_day(MONDAY)
    add_workers(city.grids["a2"], 50)
    with django_assert_max_num_queries(6):
        written = compliance_for_day(MONDAY)
    assert written == 57  # 55 new workers, the worker and the outsider
    assert DailyCompliance.objects.filter(status="compliant").count() == 55


def test_codes_limit_the_run(city: Any, users: Any) -> None:
    assert compliance_for_day(MONDAY, codes=[city.street_b.code]) == 1
    assert list(DailyCompliance.objects.values_list("worker__username", flat=True)) == ["outsider"]
