"""The on-duty map draws an ended patrol from the outline stored when it ended and places the
worker at the last fix stored by each upload, so a street's map reads one row per patrol
instead of every point of the day (issue 9 "Speed"); open patrols are read from their points."""

from typing import Any

import time_machine

from civicgrid.fieldwork import services
from civicgrid.fieldwork.models import Patrol, TrackPoint
from civicgrid.fieldwork.selectors import onduty
from civicgrid.fieldwork.services import unpack_outline
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY, MONDAY_EVENING, at, line, walk


def _features(user: Any, kind: str) -> list[dict[str, Any]]:
    return [f for f in onduty(user, MONDAY)["features"] if f["properties"]["kind"] == kind]


def test_an_ended_patrol_is_drawn_from_its_stored_outline(users: Any) -> None:
    patrol = walk(users.worker, line((MID_LAT, 106.701), (MID_LAT, 106.709), at(9), 30))
    assert patrol.outline is not None
    outline = unpack_outline(patrol.outline)
    assert outline[0] == [106.701, MID_LAT] and outline[-1] == [106.709, MID_LAT]
    # Points deleted behind the map's back: an ended patrol's line no longer needs them.
    TrackPoint.objects.filter(patrol=patrol).delete()
    (track,) = _features(users.command, "track")
    assert track["geometry"]["coordinates"] == outline
    (position,) = _features(users.command, "position")
    assert position["geometry"]["coordinates"] == [106.709, MID_LAT]


def test_each_upload_moves_the_last_fix_but_older_points_never_move_it_back(users: Any) -> None:
    points = line((MID_LAT, 106.701), (MID_LAT, 106.709), at(9), 20)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        patrol = services.patrol_start(worker=users.worker, at=points[0]["at"])
        services.track_points_add(patrol=patrol, actor=users.worker, points=points[10:])
        services.track_points_add(patrol=patrol, actor=users.worker, points=points[:10])
    patrol.refresh_from_db()
    assert (patrol.last_at, patrol.last_lng) == (points[-1]["at"], 106.709)
    assert patrol.outline is None  # still open: the map reads its points
    (track,) = _features(users.command, "track")
    assert len(track["geometry"]["coordinates"]) == len(points)
    (position,) = _features(users.command, "position")
    assert position["properties"]["open"] is True
    assert position["geometry"]["coordinates"] == [106.709, MID_LAT]


def test_points_written_around_the_services_still_place_the_worker(users: Any) -> None:
    points = line((MID_LAT, 106.701), (MID_LAT, 106.709), at(9), 10)
    patrol = walk(users.worker, points)
    Patrol.objects.filter(pk=patrol.pk).update(
        outline=None, last_at=None, last_lat=None, last_lng=None
    )
    (track,) = _features(users.command, "track")
    assert track["geometry"]["coordinates"][-1] == [106.709, MID_LAT]
    (position,) = _features(users.command, "position")
    assert position["geometry"]["coordinates"] == [106.709, MID_LAT]
    assert position["properties"]["at"] == points[-1]["at"].isoformat()
