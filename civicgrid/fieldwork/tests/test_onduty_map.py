"""The on-duty map: each worker's last position and each patrol's track of the day, as
GeoJSON, in a fixed number of queries whatever the number of workers."""

from typing import Any

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.selectors import onduty
from civicgrid.fieldwork.services import MAP_VERTICES
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY, at, inside_walk, line, walk
from civicgrid.testing.users import make_user


def test_positions_and_tracks(users: Any) -> None:
    morning = walk(users.worker, inside_walk(at(9)))
    afternoon = walk(users.worker, inside_walk(at(15), minutes=10))
    data = onduty(users.command, MONDAY)
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    tracks = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(points) == 1
    assert points[0]["properties"]["patrol_id"] == afternoon.pk
    assert points[0]["properties"]["open"] is False
    assert points[0]["geometry"]["coordinates"] == [106.7085, MID_LAT]
    assert [t["properties"]["patrol_id"] for t in tracks] == [morning.pk, afternoon.pk]
    first = tracks[0]["properties"]
    assert first["worker"] == "worker" and first["grid"] == "甲一社区1号网格"
    assert len(tracks[0]["geometry"]["coordinates"]) == 81
    assert points[0]["properties"]["at"] == at(15, 10).isoformat()
    assert first["flags"] == 0


def test_queries_do_not_grow_with_workers(
    city: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(6):
        worker = make_user(f"w{i}", Role.GRID_WORKER, city.grids["a1_east"].code)
        walk(worker, line((MID_LAT, 106.711), (MID_LAT, 106.719), at(9, i), 20))
    users.command.scope_codes  # noqa: B018 - loaded once per request by the middleware
    with django_assert_max_num_queries(6):
        data = onduty(users.command, MONDAY)
    assert len(data["features"]) == 12


def test_long_tracks_are_thinned_for_the_overview(users: Any) -> None:
    walk(users.worker, line((MID_LAT, 106.701), (MID_LAT, 106.709), at(9), 100, every_s=10))
    (track,) = [
        f for f in onduty(users.command, MONDAY)["features"] if f["properties"]["kind"] == "track"
    ]
    coordinates = track["geometry"]["coordinates"]
    assert len(coordinates) <= MAP_VERTICES
    assert coordinates[0] == [106.701, MID_LAT]
    assert coordinates[-1] == [106.709, MID_LAT]
