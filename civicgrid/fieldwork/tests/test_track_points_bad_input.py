"""Track points: bad ones refused with their index and a Chinese reason, the good ones of
the same batch kept; duplicates counted once; points out of order stored."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from civicgrid.fieldwork import services
from civicgrid.fieldwork.models import TrackPoint
from civicgrid.fieldwork.selectors import patrol_track
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY_EVENING, at, inside_walk

NOW = at(10)


@pytest.fixture
def patrol(users: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        return services.patrol_start(worker=users.worker, at=at(9))


def add(patrol: Any, worker: Any, points: list[Any]) -> services.TrackUpload:
    with time_machine.travel(NOW, tick=False):
        return services.track_points_add(patrol=patrol, actor=worker, points=points)


def test_bad_points_are_refused_with_reasons_and_good_ones_kept(users: Any, patrol: Any) -> None:
    good = {"at": at(9, 5), "lat": MID_LAT, "lng": 106.705, "accuracy": 8}
    points = [
        good,
        {"at": at(9, 6), "lat": 91, "lng": 106.705},
        {"at": at(9, 7), "lat": float("nan"), "lng": 106.705},
        {"at": at(9, 8), "lat": "abc", "lng": 106.705},
        {"at": at(9, 9), "lat": MID_LAT, "lng": 106.705, "accuracy": 900},
        {"at": NOW + timedelta(minutes=30), "lat": MID_LAT, "lng": 106.705},
        {"at": at(8, 0), "lat": MID_LAT, "lng": 106.705},
        {"at": "昨天", "lat": MID_LAT, "lng": 106.705},
        "not a point",
        {"at": "2026-11-23T09:10:00+08:00", "lat": "26.506", "lng": 106.706},
        {"at": at(9, 11), "lat": 10**400, "lng": 106.705},
        {"at": "0001-01-01T00:00:00+14:00", "lat": MID_LAT, "lng": 106.705},
    ]
    result = add(patrol, users.worker, points)
    assert result.accepted == 2
    assert result.duplicates == 0
    reasons = dict(result.refused)
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11]
    assert reasons[1] == "经纬度超出范围"
    assert reasons[2] == reasons[3] == "经纬度缺失或不是数字"
    assert reasons[4] == "定位精度 900 米,超过 500 米上限"
    assert reasons[5] == "定位时间晚于当前时间"
    assert reasons[6] == "定位时间早于巡查开始时间"
    assert reasons[7] == "定位时间缺失或格式不正确"
    assert reasons[8] == "定位点格式不正确"
    assert reasons[10] == "经纬度缺失或不是数字"
    assert reasons[11] in {"定位时间缺失或格式不正确", "定位时间早于巡查开始时间"}
    assert TrackPoint.objects.filter(patrol=patrol).count() == 2


def test_duplicates_are_counted_once_and_not_stored_twice(users: Any, patrol: Any) -> None:
    points = inside_walk(at(9), minutes=10)
    first = add(patrol, users.worker, points + points[:3])
    assert (first.accepted, first.duplicates, first.refused) == (len(points), 3, [])
    again = add(patrol, users.worker, points)  # the phone re-sends after a lost answer
    assert (again.accepted, again.duplicates) == (0, len(points))
    assert TrackPoint.objects.filter(patrol=patrol).count() == len(points)
    assert not patrol.flags.exists()  # a plain re-send is not suspicious


def test_out_of_order_points_are_stored_and_read_in_time_order(users: Any, patrol: Any) -> None:
    points = inside_walk(at(9), minutes=10)
    shuffled = points[5:] + points[:5]
    assert add(patrol, users.worker, shuffled).accepted == len(points)
    track = patrol_track(users.worker, patrol)
    assert [p["at"] for p in track] == [p["at"] for p in points]


def test_only_the_patrols_worker_may_add(users: Any, patrol: Any) -> None:
    with pytest.raises(PermissionDenied):
        add(patrol, users.outsider, inside_walk(at(9), minutes=2))


def test_an_ended_patrol_takes_late_points_within_its_span(users: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        patrol = services.patrol_start(worker=users.worker, at=at(9))
        services.patrol_end(patrol=patrol, actor=users.worker, at=at(9, 40))
    points = inside_walk(at(9), minutes=40)
    with time_machine.travel(MONDAY_EVENING, tick=False):
        result = services.track_points_add(
            patrol=patrol,
            actor=users.worker,
            points=[*points, {"at": at(11), "lat": MID_LAT, "lng": 106.705}],
        )
    assert result.accepted == len(points)
    assert result.refused == [(len(points), "定位时间晚于巡查结束时间")]
    patrol.refresh_from_db()
    # The metrics and flags follow the late points (no FEW_POINTS flag any more).
    assert patrol.point_count == len(points)
    assert patrol.distance_m > 690
    assert not patrol.flags.exists()


def test_points_sent_more_than_a_day_late_are_flagged_backdated(users: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        patrol = services.patrol_start(worker=users.worker, at=at(9))
    points = inside_walk(at(9), minutes=40)
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        services.track_points_add(patrol=patrol, actor=users.worker, points=points)
        services.patrol_end(patrol=patrol, actor=users.worker, at=at(9, 40))
    flags = {f.kind: f.detail for f in patrol.flags.all()}
    assert list(flags) == ["backdated"]
    assert "超过 24 小时" in flags["backdated"]


def test_the_same_instant_at_another_place_is_flagged_duplicate(users: Any, patrol: Any) -> None:
    point = {"at": at(9, 5), "lat": MID_LAT, "lng": 106.705}
    add(patrol, users.worker, [point])
    result = add(patrol, users.worker, [{**point, "lng": 106.706}])
    assert result.duplicates == 1
    assert list(patrol.flags.values_list("kind", flat=True)) == ["duplicate"]
