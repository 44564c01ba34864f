"""Coverage finds planted gaps, overlaps and invalid polygons, with geodesic areas."""

import pytest
from pyproj import Geod
from shapely.geometry import Polygon

from civicgrid.geo.coverage import check_coverage
from civicgrid.geo.geometry import to_geojson
from civicgrid.geo.models import Grid
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity, make_grid, square

GEOD = Geod(ellps="WGS84")


def geodesic_area(poly: Polygon) -> float:
    return abs(GEOD.polygon_area_perimeter(*poly.exterior.coords.xy)[0])


def reshape(grid: Grid, poly: Polygon) -> None:
    Grid.objects.filter(pk=grid.pk).update(geometry=to_geojson(poly))


@pytest.mark.django_db
def test_the_test_city_is_seamless(city: TestCity) -> None:
    assert check_coverage(city.district.code) == []


@pytest.mark.django_db
def test_a_planted_gap_is_found_with_its_area_and_location(city: TestCity) -> None:
    # a1_east loses its eastern quarter: a strip of a1 that no grid covers.
    reshape(city.grids["a1_east"], square(1, cols=0.75))
    [gap] = check_coverage(city.comm_a1.code)
    hole = square(1.75, cols=0.25)
    assert gap.kind == "gap" and gap.codes == (city.comm_a1.code,)
    assert gap.area_m2 == pytest.approx(geodesic_area(hole), rel=1e-6)
    lat, lng = gap.location
    assert hole.contains(Polygon.from_bounds(lng, lat, lng, lat).centroid)


@pytest.mark.django_db
def test_a_planted_overlap_is_found_between_the_two_grids(city: TestCity) -> None:
    # a1_west reaches a fifth of a step into a1_east.
    reshape(city.grids["a1_west"], square(0, cols=1.2))
    [overlap] = check_coverage(city.comm_a1.code)
    assert overlap.kind == "overlap"
    assert overlap.codes == (city.grids["a1_west"].code, city.grids["a1_east"].code)
    assert overlap.area_m2 == pytest.approx(geodesic_area(square(1, cols=0.2)), rel=1e-6)


@pytest.mark.django_db
def test_an_overlap_across_communities_is_found_from_the_street(city: TestCity) -> None:
    reshape(city.grids["a2"], square(1.9, cols=1.1))
    kinds = sorted((p.kind, p.codes) for p in check_coverage(city.street_a.code))
    assert kinds == [("overlap", (city.grids["a1_east"].code, city.grids["a2"].code))]


@pytest.mark.django_db
def test_a_self_intersecting_grid_is_reported_not_repaired(city: TestCity) -> None:
    west, south = ORIGIN_LNG + 2 * STEP, ORIGIN_LAT
    bowtie = [
        [west, south],
        [west + STEP, south + STEP],
        [west + STEP, south],
        [west, south + STEP],
    ]
    stored = {"type": "Polygon", "coordinates": [[*bowtie, bowtie[0]]]}
    Grid.objects.filter(pk=city.grids["a2"].pk).update(geometry=stored)
    problems = check_coverage(city.comm_a2.code)
    # The bow-tie claims its two wings; the two triangles between them are real gaps.
    assert [p.kind for p in problems] == ["invalid", "gap", "gap"]
    assert "Self-intersection" in problems[0].message
    quarter = geodesic_area(square(2)) / 4
    assert [p.area_m2 for p in problems[1:]] == pytest.approx([quarter, quarter], rel=1e-3)
    assert Grid.objects.get(pk=city.grids["a2"].pk).geometry == stored


@pytest.mark.django_db
def test_rounding_slivers_are_not_problems(city: TestCity) -> None:
    # An edge a few millimetres off its neighbour's is coordinate noise, not an overlap.
    reshape(city.grids["a1_west"], square(0, cols=1.000001))
    assert check_coverage(city.comm_a1.code) == []


@pytest.mark.django_db
def test_without_a_community_boundary_only_overlaps_are_checked(city: TestCity) -> None:
    make_grid(city.comm_b1, 2, square(3, row=1))  # outside b1's boundary: not a gap or overlap
    city.comm_b1.boundary = None
    city.comm_b1.save()
    Grid.objects.filter(pk=city.grids["b1"].pk).update(retired_on="2025-06-01")
    assert check_coverage(city.comm_b1.code) == []
