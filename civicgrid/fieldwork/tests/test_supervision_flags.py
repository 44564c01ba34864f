"""电子监察 flags on hand-made tracks, each with its reason in figures."""

from datetime import timedelta
from typing import Any

from civicgrid.fieldwork.choices import FlagKind
from civicgrid.fieldwork.tests.walks import MID_LAT, at, inside_walk, line, walk


def kinds(patrol: Any) -> dict[str, str]:
    return {f.kind: f.detail for f in patrol.flags.all()}


def test_a_clean_walk_has_no_flag(users: Any) -> None:
    assert kinds(walk(users.worker, inside_walk(at(9)))) == {}


def test_a_speed_jump_is_flagged(users: Any) -> None:
    points = inside_walk(at(9), minutes=20)
    # 30 s after the last fix the phone reports a place 2 km away: 240 km/h.
    last = points[-1]
    points.append(
        {"at": last["at"] + timedelta(seconds=30), "lat": MID_LAT + 0.018, "lng": 106.7085}
    )
    found = kinds(walk(users.worker, points))
    assert FlagKind.JUMP in found
    assert "09:20 两点间速度" in found[FlagKind.JUMP]
    assert "超过 25" in found[FlagKind.JUMP]


def test_a_track_far_outside_the_grid_is_flagged(users: Any) -> None:
    # 1.5 km east of the grid's east edge (lng 106.71).
    points = line((MID_LAT, 106.725), (MID_LAT, 106.726), at(9), 30)
    found = kinds(walk(users.worker, points))
    assert FlagKind.FAR_OUTSIDE in found
    assert "远离网格" in found[FlagKind.FAR_OUTSIDE]
    assert "超过 500 米" in found[FlagKind.FAR_OUTSIDE]


def test_standing_still_is_flagged(users: Any) -> None:
    points = line((MID_LAT, 106.705), (MID_LAT, 106.70505), at(9), 30)
    found = kinds(walk(users.worker, points))
    assert FlagKind.STATIONARY in found
    assert "停留 30 分钟" in found[FlagKind.STATIONARY]


def test_too_few_points_is_flagged(users: Any) -> None:
    points = line((MID_LAT, 106.702), (MID_LAT, 106.708), at(9), 30, every_s=600)
    found = kinds(walk(users.worker, points))
    assert found[FlagKind.FEW_POINTS] == "全程仅 4 个轨迹点,少于 10 个"


def test_flags_are_replaced_not_added_when_recomputed(users: Any) -> None:
    from civicgrid.fieldwork.supervision import flag_patrol

    patrol = walk(users.worker, line((MID_LAT, 106.725), (MID_LAT, 106.726), at(9), 30))
    before = patrol.flags.count()
    flag_patrol(patrol)
    flag_patrol(patrol)
    assert patrol.flags.count() == before
