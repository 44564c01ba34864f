"""Split and merge (动态调整): seamless coverage, new codes, lineage, the relocation hook."""

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import pytest
import shapely
from shapely.affinity import affine_transform
from shapely.geometry import LineString, Polygon, mapping

from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.geo import hooks
from civicgrid.geo.coverage import check_coverage
from civicgrid.geo.geometry import area_m2, to_geojson, to_shape
from civicgrid.geo.index import current_version
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity, make_grid, square
from civicgrid.testing.users import RoleUsers

ON = date(2026, 3, 1)
# North-south line through the middle of grid a1_west, overshooting both edges.
MIDLINE = LineString(
    [(ORIGIN_LNG + STEP / 2, ORIGIN_LAT - STEP), (ORIGIN_LNG + STEP / 2, ORIGIN_LAT + 2 * STEP)]
)


@pytest.fixture
def relocations() -> Iterator[list[tuple[list[str], list[str]]]]:
    calls: list[tuple[list[str], list[str]]] = []

    def record(old: Sequence[Grid], new: Sequence[Grid]) -> int:
        calls.append(([g.code for g in old], [g.code for g in new]))
        return 0

    hooks.register_relocator("test", record)
    yield calls
    hooks._relocators.pop("test")


@pytest.mark.django_db
def test_split_by_a_line_keeps_the_community_seamless(
    city: TestCity, users: RoleUsers, relocations: list[Any]
) -> None:
    old = city.grids["a1_west"]
    version = current_version()
    west, east = sorted(
        grid_split(grid=old, cutter=dict(mapping(MIDLINE)), actor=users.command, on=ON),
        key=lambda g: to_shape(g.geometry).centroid.x,
    )
    assert check_coverage(city.comm_a1.code) == []
    union = shapely.union_all([to_shape(west.geometry), to_shape(east.geometry)])
    assert union.symmetric_difference(to_shape(old.geometry)).area < 1e-12
    assert {west.code, east.code} == {"520102001001003", "520102001001004"}
    old.refresh_from_db()
    assert old.retired_on == ON
    assert set(west.predecessors.all()) == {old} == set(east.predecessors.all())
    assert set(old.successors.all()) == {west, east}
    assert relocations == [([old.code], sorted([west.code, east.code]))]
    assert current_version() > version
    assert AuditEntry.objects.filter(action="grid_split", target_id=str(old.pk)).exists()


@pytest.mark.django_db
def test_locate_answers_with_the_new_grids_after_a_split(city: TestCity, users: RoleUsers) -> None:
    lat = ORIGIN_LAT + STEP / 2
    assert locate(lat, ORIGIN_LNG + STEP / 4).grid.code == city.grids["a1_west"].code  # type: ignore[union-attr]
    grid_split(grid=city.grids["a1_west"], cutter=MIDLINE, actor=users.command, on=ON)
    found = locate(lat, ORIGIN_LNG + STEP / 4)
    assert found is not None and found.grid.code.endswith("003")


@pytest.mark.django_db
def test_split_moves_the_grid_worker_to_every_successor(city: TestCity, users: RoleUsers) -> None:
    new = grid_split(grid=city.grids["a1_west"], cutter=MIDLINE, actor=users.command, on=ON)
    worker = User.objects.get(pk=users.worker.pk)
    assert worker.scope_codes == sorted(g.code for g in new)
    assert worker.scopes.get(code=city.grids["a1_west"].code).retired_on == ON


@pytest.mark.django_db
def test_split_by_a_polygon_cuts_it_out(city: TestCity, users: RoleUsers) -> None:
    corner = square(0, cols=0.5, rows=0.5)
    new = grid_split(grid=city.grids["a1_west"], cutter=corner, actor=users.command, on=ON)
    assert len(new) == 2
    assert check_coverage(city.comm_a1.code) == []


@pytest.mark.django_db
def test_a_line_that_does_not_cross_the_grid_is_refused(city: TestCity, users: RoleUsers) -> None:
    short = LineString(
        [(ORIGIN_LNG + 0.002, ORIGIN_LAT + 0.002), (ORIGIN_LNG + 0.004, ORIGIN_LAT + 0.004)]
    )
    with pytest.raises(GridAdjustmentError, match="完整穿过网格"):
        grid_split(grid=city.grids["a1_west"], cutter=short, actor=users.command, on=ON)
    assert Grid.objects.current().count() == 4


@pytest.mark.django_db
def test_merge_of_neighbours_keeps_coverage_and_lineage(
    city: TestCity, users: RoleUsers, relocations: list[Any]
) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    merged = grid_merge(grids=[east, west], actor=users.command, on=ON, name="甲一合并网格")
    assert merged.code == "520102001001003"
    assert to_shape(merged.geometry).equals(to_shape(city.comm_a1.boundary or {}))
    assert set(merged.predecessors.all()) == {west, east}
    assert Grid.objects.filter(pk__in=[west.pk, east.pk], retired_on=ON).count() == 2
    assert check_coverage(city.comm_a1.code) == []
    assert relocations == [([west.code, east.code], [merged.code])]


@pytest.mark.django_db
def test_grids_of_different_communities_are_not_merged(city: TestCity, users: RoleUsers) -> None:
    with pytest.raises(GridAdjustmentError, match="同一社区"):
        grid_merge(grids=[city.grids["a1_east"], city.grids["a2"]], actor=users.command)


@pytest.mark.django_db
def test_grids_without_a_shared_edge_are_not_merged(city: TestCity, users: RoleUsers) -> None:
    far = make_grid(city.comm_a2, 2, square(2, row=2))
    with pytest.raises(GridAdjustmentError, match="不相邻"):
        grid_merge(grids=[city.grids["a2"], far], actor=users.command)


@pytest.mark.django_db
def test_a_retired_grid_cannot_be_adjusted_again(city: TestCity, users: RoleUsers) -> None:
    grid_split(grid=city.grids["a1_west"], cutter=MIDLINE, actor=users.command, on=ON)
    with pytest.raises(GridAdjustmentError, match="已于 2026-03-01 停用"):
        grid_split(grid=city.grids["a1_west"], cutter=MIDLINE, actor=users.command, on=ON)


def _lean_shared_edge(city: TestCity) -> None:
    """Give a1_west and a1_east a slanted common edge, as real street-bounded grids have."""
    west = Polygon([(0, 0), (1.05, 0), (0.95, 1), (0, 1)])
    east = Polygon([(1.05, 0), (2, 0), (2, 1), (0.95, 1)])
    for key, poly in (("a1_west", west), ("a1_east", east)):
        lnglat = affine_transform(poly, [STEP, 0, 0, STEP, ORIGIN_LNG, ORIGIN_LAT])
        Grid.objects.filter(pk=city.grids[key].pk).update(
            geometry=to_geojson(lnglat), area_m2=area_m2(lnglat)
        )
        city.grids[key].refresh_from_db()


@pytest.mark.django_db
def test_split_then_merge_gives_back_the_original_grid_exactly(
    city: TestCity, users: RoleUsers
) -> None:
    _lean_shared_edge(city)
    old, neighbour = city.grids["a1_west"], to_shape(city.grids["a1_east"].geometry)
    before = to_shape(old.geometry)
    # An east-west line a third of the way up meets the slanted edge at a point no
    # 7-decimal coordinate can hold.
    third = ORIGIN_LAT + STEP / 3
    line = LineString([(ORIGIN_LNG - STEP, third), (ORIGIN_LNG + 2 * STEP, third)])
    pieces = grid_split(grid=old, cutter=dict(mapping(line)), actor=users.command, on=ON)
    union = shapely.union_all([to_shape(p.geometry) for p in pieces])
    assert union.symmetric_difference(before).area < 1e-15  # no sliver along the edge
    assert union.intersection(neighbour).area < 1e-15
    merged = grid_merge(grids=pieces, actor=users.command, on=ON)
    assert to_shape(merged.geometry).equals(before)
    assert len(to_shape(merged.geometry).exterior.coords) == len(before.exterior.coords)
    assert merged.area_m2 == pytest.approx(old.area_m2, abs=0.01)
