"""Point → grid: agrees with a brute-force scan, deterministic on shared edges, holes, outside."""

from itertools import pairwise
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate, locate_batch
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity, make_grid, square
from civicgrid.testing.users import RoleUsers


def brute_force(lat: float, lng: float) -> int | None:
    """The lowest-coded current grid whose closed polygon contains the point."""
    point = Point(lng, lat)
    for grid in Grid.objects.current().order_by("code"):
        if to_shape(grid.geometry).intersects(point):
            return grid.pk
    return None


# The test city spans 4 steps east and 1 north of its origin; draw around and beyond it, and
# snap some draws to the grid lines so that edges and corners are hit often.
coordinate = st.one_of(
    st.floats(min_value=-0.5, max_value=4.5),
    st.integers(min_value=-1, max_value=5).map(float),
    st.integers(min_value=-2, max_value=10).map(lambda n: n / 2),
)


@pytest.mark.django_db
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(points=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=30))
def test_locate_agrees_with_brute_force(city: TestCity, points: list[tuple[float, float]]) -> None:
    latlngs = [
        (round(ORIGIN_LAT + y * STEP, 7), round(ORIGIN_LNG + x * STEP, 7)) for x, y in points
    ]
    assert locate_batch(latlngs) == [brute_force(lat, lng) for lat, lng in latlngs]


@pytest.mark.django_db
def test_a_point_on_a_shared_edge_goes_to_the_lowest_code(city: TestCity) -> None:
    edge_lng = round(ORIGIN_LNG + STEP, 7)  # a1_west | a1_east
    found = locate(ORIGIN_LAT + STEP / 2, edge_lng)
    assert found is not None and found.grid.code == city.grids["a1_west"].code
    corner = locate(ORIGIN_LAT, round(ORIGIN_LNG + 2 * STEP, 7))  # a1_east | a2 corner
    assert corner is not None and corner.grid.code == city.grids["a1_east"].code


@pytest.mark.django_db
def test_a_hole_belongs_to_the_grid_inside_it_or_to_none(city: TestCity) -> None:
    outer = square(2, row=2, cols=3, rows=3)
    inner = square(3, row=3)
    make_grid(city.comm_a2, 2, Polygon(outer.exterior.coords, [inner.exterior.coords]))
    lat, lng = ORIGIN_LAT + 3.5 * STEP, ORIGIN_LNG + 3.5 * STEP
    assert locate(lat, lng) is None
    island = make_grid(city.comm_a2, 3, inner)
    found = locate(lat, lng)
    assert found is not None and found.grid == island


@pytest.mark.django_db
def test_the_index_notices_a_retired_grid(city: TestCity) -> None:
    lat, lng = ORIGIN_LAT + STEP / 2, ORIGIN_LNG + 2.5 * STEP
    assert locate(lat, lng).grid == city.grids["a2"]  # type: ignore[union-attr]
    from civicgrid.geo.index import bump_version

    Grid.objects.filter(pk=city.grids["a2"].pk).update(retired_on="2025-06-01")
    bump_version()
    assert locate(lat, lng) is None


@pytest.mark.django_db
def test_locate_api_gives_the_chain_of_regions(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.sysadmin)
    data = client.get(
        f"/api/v1/geo/locate?lat={ORIGIN_LAT + 0.005}&lng={ORIGIN_LNG + 0.025}"
    ).json()
    assert data["found"] is True
    assert data["grid"]["code"] == city.grids["a2"].code
    assert [r["level"] for r in data["regions"]] == ["city", "district", "street", "community"]


@pytest.mark.django_db
def test_locate_api_says_clearly_when_outside_every_grid(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.sysadmin)
    data = client.get("/api/v1/geo/locate?lat=30&lng=110").json()
    assert data == {
        "found": False,
        "message": "该位置不在您管辖范围内的任何网格内",
        "grid": None,
        "regions": [],
    }
    assert client.get("/api/v1/geo/locate?lat=95&lng=110").status_code == 422


@pytest.fixture
def demo_city(db: Any) -> Any:
    from civicgrid.geo.demo import build_geo

    return build_geo(size_name="small", seed=7)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    points=st.lists(
        st.tuples(st.floats(26.49, 26.67), st.floats(106.59, 106.81)), min_size=1, max_size=40
    )
)
def test_locate_agrees_with_brute_force_on_jittered_grids(
    demo_city: Any, points: list[tuple[float, float]]
) -> None:
    assert locate_batch(points) == [brute_force(lat, lng) for lat, lng in points]


@pytest.mark.django_db
def test_vertices_and_edge_midpoints_of_jittered_grids_go_to_the_lowest_code(
    demo_city: Any,
) -> None:
    shapes = [(g.pk, to_shape(g.geometry)) for g in Grid.objects.current().order_by("code")]
    ring_points = []
    for _, shape in shapes:
        coords = shapely.get_coordinates(shape)
        ring_points += [tuple(c) for c in coords]
        ring_points += [tuple((a + b) / 2) for a, b in pairwise(coords)]
    expected = [
        next((pk for pk, shape in shapes if shape.intersects(Point(x, y))), None)
        for x, y in ring_points
    ]
    assert locate_batch([(y, x) for x, y in ring_points]) == expected
