"""Small builders of ledger rows for tests (the tiny test city's grids)."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from civicgrid.geo.models import Grid
from civicgrid.registry.choices import Occupancy
from civicgrid.registry.identity import make_resident_id
from civicgrid.registry.models import Building, Dwelling, Household, Person

_serial = count(1)


def centre(grid: Grid) -> tuple[float, float]:
    from civicgrid.geo.geometry import to_shape

    point = to_shape(grid.geometry).representative_point()
    return point.y, point.x


def make_building(grid: Grid, address: str = "", **extra: Any) -> Building:
    lat, lng = centre(grid)
    n = next(_serial)
    return Building.objects.create(
        grid=grid, address=address or f"测试路{n}号", lat=lat, lng=lng, **extra
    )


def make_dwelling(building: Building, room: str = "", **extra: Any) -> Dwelling:
    extra.setdefault("occupancy", Occupancy.OWNER)
    return Dwelling.objects.create(
        building=building, grid=building.grid, unit="1", room=room or str(next(_serial)), **extra
    )


def make_household(dwelling: Dwelling, **extra: Any) -> Household:
    return Household.objects.create(dwelling=dwelling, grid=dwelling.grid, **extra)


def resident_id(male: bool = True, born: date = date(1980, 5, 17)) -> str:
    """A valid ID number not yet in the ledger. The sequence has 500 values per sex and birth
    date, so after many tests in one process the counter wraps: skip numbers already held."""
    from civicgrid.registry import identity

    for _ in range(500):
        number = make_resident_id("520102", born, next(_serial), male=male)
        if not Person.objects.filter(id_number_index=identity.id_number_index(number)).exists():
            return number
    raise AssertionError("no free synthetic ID number left for this birth date")


def make_person(grid: Grid, name: str = "张三", **extra: Any) -> Person:
    extra.setdefault("id_number", resident_id())
    return Person.objects.create(grid=grid, name=name, **extra)
