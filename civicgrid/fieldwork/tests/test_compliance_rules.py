"""一日双巡 verdicts on hand-made tracks: two good patrols in the two windows are compliant;
anything less gets the first failing rule (none → one only → too short → outside)."""

from typing import Any

from civicgrid.fieldwork.choices import ComplianceStatus as S
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.models import DailyCompliance
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY, at, inside_walk, line, walk


def verdict_of(users: Any) -> DailyCompliance:
    compliance_for_day(MONDAY)
    return DailyCompliance.objects.get(worker=users.worker, day=MONDAY)


def test_two_patrols_in_the_two_windows_are_compliant(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    walk(users.worker, inside_walk(at(15)))
    row = verdict_of(users)
    assert row.status == S.COMPLIANT
    assert row.patrols == 2
    assert row.minutes == 80
    assert row.grid_code == users.worker.scope_codes[0]


def test_one_patrol_is_one_only(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    row = verdict_of(users)
    assert row.status == S.ONE_ONLY
    assert "上午" in row.note


def test_two_patrols_in_the_same_window_are_one_only(users: Any) -> None:
    walk(users.worker, inside_walk(at(8)))
    walk(users.worker, inside_walk(at(10)))
    assert verdict_of(users).status == S.ONE_ONLY


def test_no_patrol_is_none(users: Any) -> None:
    row = verdict_of(users)
    assert row.status == S.NONE
    assert row.patrols == 0


def test_short_patrols_are_too_short(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    walk(users.worker, inside_walk(at(15), minutes=12))
    row = verdict_of(users)
    assert row.status == S.TOO_SHORT
    assert "下午" in row.note and "12 分钟" in row.note


def test_a_track_mostly_outside_the_grid_is_outside(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    # The afternoon walk is in the neighbouring grid a1_east (lng 106.71–106.72).
    walk(users.worker, line((MID_LAT, 106.7115), (MID_LAT, 106.7185), at(15), 40))
    row = verdict_of(users)
    assert row.status == S.OUTSIDE
    assert "下午" in row.note and "0%" in row.note


def test_outsider_and_other_roles_get_no_row(users: Any) -> None:
    compliance_for_day(MONDAY)
    workers = set(DailyCompliance.objects.values_list("worker__username", flat=True))
    # Every grid worker with a grid, nobody else.
    assert workers == {"worker", "outsider"}
