from datetime import timedelta

from django.test import override_settings

from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import Case
from civicgrid.cases.selectors import duplicate_candidates
from civicgrid.testing.cases import IN_A1_WEST, MONDAY_10, case_category, put_in_status, report_case
from civicgrid.testing.users import RoleUsers

LAT, LNG = IN_A1_WEST
# About 50 m and 200 m north of the first report.
NEAR = (LAT + 0.00045, LNG)
FAR = (LAT + 0.0018, LNG)


def candidates(
    point: tuple[float, float] = NEAR, code: str = "0102", hours: float = 1
) -> list[Case]:
    return duplicate_candidates(
        category=case_category(code),
        lat=point[0],
        lng=point[1],
        at=MONDAY_10 + timedelta(hours=hours),
    )


def test_same_category_nearby_and_recent_is_suggested(users: RoleUsers, case: Case) -> None:
    found = candidates()
    assert found == [case]
    assert 40 < found[0].distance_m < 60  # type: ignore[attr-defined]


def test_too_far_is_not_suggested(users: RoleUsers, case: Case) -> None:
    assert candidates(FAR) == []


def test_other_category_is_not_suggested(users: RoleUsers, case: Case) -> None:
    assert candidates(code="0601") == []


def test_too_old_is_not_suggested(users: RoleUsers, case: Case) -> None:
    assert candidates(hours=73) == []


def test_closed_case_is_not_suggested(users: RoleUsers, case: Case) -> None:
    put_in_status(case, CaseStatus.CLOSED)
    assert candidates() == []


@override_settings(CASE_DUPLICATE_RADIUS_M=300, CASE_DUPLICATE_WINDOW_HOURS=100)
def test_radius_and_window_come_from_settings(users: RoleUsers, case: Case) -> None:
    assert candidates(FAR, hours=90) == [case]


def test_nearest_comes_first(users: RoleUsers, case: Case) -> None:
    closer = report_case(users.worker, point=(LAT + 0.0004, LNG))
    assert candidates() == [closer, case]
