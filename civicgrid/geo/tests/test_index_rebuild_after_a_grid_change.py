"""After a grid changes (new shape in place, as a re-import does; a new grid; a retired one),
bumping the version makes the next lookup see the change; a rebuild re-parses only the grids
whose stored GeoJSON changed."""

from __future__ import annotations

import pytest

from civicgrid.geo.geometry import to_geojson
from civicgrid.geo.index import bump_version, grid_index
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity, make_grid, square


@pytest.mark.django_db
def test_a_reshaped_grid_is_seen_after_the_version_bump(city: TestCity) -> None:
    a2, b1 = city.grids["a2"], city.grids["b1"]
    lat, lng = ORIGIN_LAT + STEP / 2, ORIGIN_LNG + 3.25 * STEP  # in b1
    assert locate(lat, lng).grid == b1  # type: ignore[union-attr]
    before = grid_index()
    # a2 takes the western half of b1, in place, as a re-import of grid boundaries does.
    Grid.objects.filter(pk=a2.pk).update(geometry=to_geojson(square(2, cols=1.5)))
    Grid.objects.filter(pk=b1.pk).update(geometry=to_geojson(square(3.5, cols=0.5)))
    bump_version()
    assert locate(lat, lng).grid == a2  # type: ignore[union-attr]
    after = grid_index()
    assert after is not before
    # Unchanged grids kept their parsed (and prepared) shapes; changed ones were parsed anew.
    kept = {int(pk): g for pk, g in zip(before.ids, before.geoms, strict=True)}
    for pk, geom in zip(after.ids, after.geoms, strict=True):
        assert (geom is kept[int(pk)]) == (int(pk) not in (a2.pk, b1.pk))


@pytest.mark.django_db
def test_a_new_grid_and_a_retired_grid_are_seen(city: TestCity) -> None:
    lat, lng = ORIGIN_LAT + 1.5 * STEP, ORIGIN_LNG + 0.5 * STEP
    assert locate(lat, lng) is None
    grid_index()
    added = make_grid(city.comm_a1, 3, square(0, row=1))
    assert locate(lat, lng).grid == added  # type: ignore[union-attr]
    Grid.objects.filter(pk=added.pk).update(retired_on="2025-06-01")
    bump_version()
    assert locate(lat, lng) is None


@pytest.mark.django_db
def test_without_a_change_the_index_is_reused(city: TestCity) -> None:
    assert grid_index() is grid_index()
