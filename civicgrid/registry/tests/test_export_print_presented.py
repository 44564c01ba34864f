"""The printed ledger hands its template presented rows (rule 7): dicts with the ID number and
phone masked, never the Person instances whose encrypted fields were decrypted on load."""

from typing import Any

import pytest
from django.db import models

from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def instances(value: Any) -> list[models.Model]:
    """Every model instance reachable through dicts, lists and dataclass fields."""
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in instances(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in instances(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [m for name in value.__dataclass_fields__ for m in instances(getattr(value, name))]
    return []


@pytest.mark.django_db
def test_printed_rows_are_presented_and_masked(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    dwelling = make_dwelling(make_building(grid, "甲一路8号"), room="302")
    household = make_household(dwelling, number="H302")
    number, phone = resident_id(), "13812345678"
    head = make_person(
        grid, name="张三", id_number=number, phone=phone, household=household, dwelling=dwelling
    )
    household.head = head
    household.save()
    make_person(grid, name="王五", id_number=resident_id(), phone="13900001111")

    client.force_login(users.worker)
    response = client.get(f"/registry/io/ledger/{grid.pk}/print/")
    assert response.status_code == 200
    buildings, unhoused = response.context["buildings"], response.context["unhoused"]
    assert instances(buildings) == [] and instances(unhoused) == []
    resident = buildings[0].dwellings[0].residents[0]
    assert (resident["name"], resident["household_head_name"]) == ("张三", "张三")
    assert (resident["id_number"], resident["phone"]) == (
        number[:4] + "*" * 10 + number[-4:],
        "138****5678",
    )
    assert [p["name"] for p in unhoused] == ["王五"]
    page = response.content.decode()
    assert number not in page and phone not in page and "13900001111" not in page
