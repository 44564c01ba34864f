"""``field__any_of=keys`` finds the same rows as ``__in`` (one array parameter on PostgreSQL)."""

import pytest

from civicgrid.geo.models import Grid
from civicgrid.testing.city import TestCity


@pytest.mark.django_db
def test_any_of_finds_what_in_finds(city: TestCity) -> None:
    codes = {city.grids["a1_west"].code, city.grids["b1"].code, "no-such-grid"}
    found = set(Grid.objects.filter(code__any_of=codes).values_list("code", flat=True))
    assert found == set(Grid.objects.filter(code__in=codes).values_list("code", flat=True))
    assert found == codes - {"no-such-grid"}


@pytest.mark.django_db
def test_any_of_nothing_finds_nothing(city: TestCity) -> None:
    assert not Grid.objects.filter(code__any_of=[]).exists()
    assert not Grid.objects.filter(code__any_of=[None]).exists()
