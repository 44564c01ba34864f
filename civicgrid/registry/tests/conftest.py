from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from civicgrid.registry.choices import Relation
from civicgrid.registry.models import Building, Dwelling, Household, Organization, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.city import TestCity


@dataclass
class Ledger:
    building: Building
    dwelling: Dwelling
    household: Household
    head: Person
    organization: Organization


def grant(user: Any, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    for cache in ("_perm_cache", "_user_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)


@pytest.fixture
def ledger(city: TestCity) -> Ledger:
    """One building, dwelling, household with its head and one organisation in grid
    a1_west (the worker's grid)."""
    grid = city.grids["a1_west"]
    building = make_building(grid, "多福巷1号")
    dwelling = make_dwelling(building, "101")
    household = make_household(dwelling, number="520102001")
    head = make_person(
        grid,
        name="王建国",
        phone="13812345678",
        household=household,
        dwelling=dwelling,
        relation=Relation.HEAD,
    )
    household.head = head
    household.save()
    org = Organization.objects.create(grid=grid, name="多福便利店", address="多福巷1号")
    return Ledger(building, dwelling, household, head, org)
