"""The screen's heat layer: the finished days from the nightly heat rollup, today live, the same
cells either way, and only the viewer's jurisdiction."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import HeatCell
from civicgrid.assessment.rollup import rollup_heat
from civicgrid.cases.choices import CaseStatus, Channel
from civicgrid.cases.models import Case
from civicgrid.dashboard.screen import screen_data
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=TZ)
TODAY = NOW.date()
FIRST = TODAY - timedelta(days=29)  # the 30 days the trend shows, today included
YESTERDAY = TODAY - timedelta(days=1)


def report(
    number: str, grid_code: str, when: datetime, lat: float | None, lng: float | None
) -> None:
    Case.objects.create(
        number=number,
        channel=Channel.GRID_WORKER,
        category=case_category(),
        description="测试事件",
        grid_code=grid_code,
        status=CaseStatus.CLOSED,
        stage="done",
        stage_started_at=when,
        reported_at=when,
        updated_at=when,
        lat=lat,
        lng=lng,
    )


@pytest.fixture
def reports(city: TestCity) -> None:
    west, east, b1 = (city.grids[k].code for k in ("a1_west", "a1_east", "b1"))
    # Three reports in one cell (two of them in different grids), over the window's days.
    report("H1", west, NOW - timedelta(days=3), 26.5051, 106.7049)
    report("H2", east, NOW - timedelta(days=20), 26.5049, 106.7051)
    window_opens = datetime.combine(FIRST, datetime.min.time(), tzinfo=TZ)
    report("H3", west, window_opens, 26.505, 106.705)
    # Another cell: one report, and one today (counted live after the rollup).
    report("H4", west, NOW - timedelta(days=1), 26.512, 106.71)
    report("H5", west, NOW.replace(hour=9), 26.512, 106.71)
    # The day before the window, and a report without a place: never counted.
    report("H6", west, window_opens - timedelta(seconds=1), 26.505, 106.705)
    report("H7", west, NOW - timedelta(days=2), None, None)
    # Street b's report in the same cell: not street a's.
    report("B1", b1, NOW - timedelta(days=2), 26.505, 106.705)


def heat(user: Any) -> list[list[float]]:
    cache.clear()
    return screen_data(user, ["map"], now=NOW)["panels"]["map"]["heat"]


@pytest.mark.django_db
def test_heat_counts_the_last_thirty_days_per_cell_live(users: RoleUsers, reports: None) -> None:
    assert not HeatCell.objects.exists()
    assert heat(users.command) == [[26.505, 106.705, 3], [26.512, 106.71, 2]]


@pytest.mark.django_db
def test_heat_from_the_rollup_plus_today_equals_the_live_count(
    users: RoleUsers, reports: None
) -> None:
    live = heat(users.command)
    rollup_heat(FIRST, YESTERDAY)
    assert HeatCell.objects.filter(digits=3).count() == 4  # street b's cell is its own row
    assert heat(users.command) == live
    # The rollup's copy is what the screen reads: change it and the screen follows.
    HeatCell.objects.filter(digits=3, lat_cell=26512).update(reports=7)
    assert heat(users.command) == [[26.512, 106.71, 8], [26.505, 106.705, 3]]


@pytest.mark.django_db
def test_a_rollup_of_another_window_is_not_used(users: RoleUsers, reports: None) -> None:
    rollup_heat(FIRST - timedelta(days=1), YESTERDAY - timedelta(days=1))
    HeatCell.objects.update(reports=50)
    assert heat(users.command) == [[26.505, 106.705, 3], [26.512, 106.71, 2]]


@pytest.mark.django_db
def test_rollup_replaces_the_previous_window(reports: None) -> None:
    rollup_heat(FIRST - timedelta(days=1), YESTERDAY - timedelta(days=1))
    rollup_heat(FIRST, YESTERDAY)
    assert set(HeatCell.objects.values_list("first_day", "last_day")) == {(FIRST, YESTERDAY)}
    rollup_heat(FIRST, YESTERDAY)  # again: the same rows, not twice as many
    assert HeatCell.objects.filter(digits=3).count() == 4


@pytest.mark.django_db
def test_heat_shows_only_the_viewers_jurisdiction(
    city: TestCity, users: RoleUsers, reports: None
) -> None:
    rollup_heat(FIRST, YESTERDAY)
    street_b = make_user("command-b", Role.COMMAND, city.street_b.code)
    assert heat(street_b) == [[26.505, 106.705, 1]]
    assert heat(users.secretary)[0] == [26.505, 106.705, 3]  # community a1 holds both grids


@pytest.mark.django_db
def test_departments_and_residents_read_no_cells(
    city: TestCity, users: RoleUsers, reports: None
) -> None:
    rollup_heat(FIRST, YESTERDAY)
    assert HeatCell.objects.visible_to(users.command).filter(digits=3).count() == 3
    # A department reads the cases dispatched to it, not a place's, even with a code.
    clerk = make_user("clerk-a", Role.DEPARTMENT, city.street_a.code, department=users.dept)
    assert not HeatCell.objects.visible_to(clerk).exists()
    assert not HeatCell.objects.visible_to(users.resident).exists()
    assert not HeatCell.objects.visible_to(users.auditor).exists()


@pytest.mark.django_db
def test_the_nightly_rollup_counts_the_heat_window(city: TestCity) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from civicgrid.assessment.measures import local_tz
    from civicgrid.assessment.rollup import heat_window

    today = timezone.now().astimezone(local_tz()).date()
    noon = datetime.combine(today - timedelta(days=1), datetime.min.time(), tzinfo=TZ)
    report("N1", city.grids["a1_west"].code, noon + timedelta(hours=12), 26.505, 106.705)
    call_command("assessment_rollup", "--from", str(today), "--to", str(today))
    cell = HeatCell.objects.get(digits=3)
    assert (cell.first_day, cell.last_day) == heat_window(today)
    assert (cell.lat_cell, cell.lng_cell, cell.reports) == (26505, 106705, 1)


@pytest.mark.django_db
def test_a_district_or_the_city_sees_kilometre_cells(city: TestCity, reports: None) -> None:
    whole = make_user("city-command", Role.COMMAND, city.city.code)
    live = heat(whole)
    assert sum(n for _lat, _lng, n in live) == 6  # both streets, the window only
    assert all(round(lat, 2) == lat and round(lng, 2) == lng for lat, lng, _n in live)
    rollup_heat(FIRST, YESTERDAY)
    assert heat(whole) == live
    street = make_user("street-a", Role.COMMAND, city.street_a.code)
    assert any(round(lat, 2) != lat for lat, _lng, _n in heat(street))  # ≈ 100 m cells


@pytest.mark.django_db
def test_only_the_busiest_cells_are_sent(
    users: RoleUsers, reports: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from civicgrid.dashboard import screen

    rollup_heat(FIRST, YESTERDAY)
    monkeypatch.setattr(screen, "HEAT_CELLS", 1)
    assert heat(users.command) == [[26.505, 106.705, 3]]
