"""Registry reads at street scale: the completeness audit over 200 grids and 40,000 people,
and an exact ID-number search through the blind index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from benchmarks.conftest import tile_grids
from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.registry.identity import make_resident_id
from civicgrid.registry.models import Building, Dwelling, Household, Person
from civicgrid.registry.selectors import completeness, search

PEOPLE_PER_GRID = 200


def _street(grids: list[Any]) -> list[str]:
    buildings = Building.objects.bulk_create(
        [
            Building(grid=g, grid_code=g.code, address=f"{g.code}-{b}号", lat=26.5, lng=106.6)
            for g in grids
            for b in range(10)
        ],
        batch_size=2000,
    )
    dwellings = Dwelling.objects.bulk_create(
        [
            Dwelling(building=b, grid_id=b.grid_id, grid_code=b.grid_code, unit="1", room=str(r))
            for b in buildings
            for r in range(10)
        ],
        batch_size=2000,
    )
    households = Household.objects.bulk_create(
        [Household(dwelling=d, grid_id=d.grid_id, grid_code=d.grid_code) for d in dwellings],
        batch_size=2000,
    )
    numbers = []
    people = []
    for i, household in enumerate(households):
        for j in range(PEOPLE_PER_GRID // 100):
            born = date(1950, 1, 1) + timedelta(days=i)
            number = make_resident_id("520102", born, j, male=j % 2 == 0)
            numbers.append(number)
            person = Person(
                grid_id=household.grid_id,
                grid_code=household.grid_code,
                household=household,
                dwelling_id=household.dwelling_id,
                name=f"居民{i}",
                id_number=number,
            )
            person.fill_derived()
            people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    return numbers


@pytest.mark.django_db
def test_completeness_audit_over_a_street(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    grids = tile_grids(rows=10, cols=20)
    _street(grids)
    street = grids[0].code[:9]
    result = benchmark.pedantic(completeness, args=(street,), rounds=3, iterations=1)
    assert sum(r.people for r in result["grids"]) == len(grids) * PEOPLE_PER_GRID // 100 * 100
    report_throughput(
        "completeness audit, 200 grids / 40,000 people",
        1 / benchmark.stats.stats.mean,
        "audits/s",
    )


@pytest.mark.django_db
def test_exact_id_number_search(
    benchmark: Any, report_throughput: Callable[[str, float, str], None]
) -> None:
    grids = tile_grids(rows=10, cols=20)
    numbers = _street(grids)
    user = User.objects.create_user("cmd", role=Role.COMMAND)
    Scope.objects.create(user=user, code=grids[0].code[:9])
    result = benchmark(search, user, numbers[-1])
    assert len(result.people) == 1
    report_throughput("exact ID-number search", 1 / benchmark.stats.stats.mean, "searches/s")
