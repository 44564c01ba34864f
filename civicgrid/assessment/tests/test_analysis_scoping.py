"""Every analysis is narrowed to the viewer: the grid worker of another street, the command
centre of another district, see nothing of street a's hotspots, recurring problems, seasons,
departments or grids, on the pages, in the exports and in the API."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from civicgrid.accounts.choices import Role
from civicgrid.assessment.analysis import (
    department_rates,
    falling_grids,
    hotspots,
    recurring,
    seasonality,
)
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, at, event, new_case
from civicgrid.cases.choices import Action
from civicgrid.testing.cases import IN_A1_WEST
from civicgrid.testing.users import make_user

PAGES = ["hotspots", "recurring", "seasonality", "departments", "falling"]


@pytest.fixture
def street_a(city, users):
    grid = city.grids["a1_west"]
    cases = []
    for n in range(4):
        case = new_case(
            grid.code,
            grid=grid,
            when=at(DAY - timedelta(days=n)),
            lat=IN_A1_WEST[0] + n * 0.0001,
            lng=IN_A1_WEST[1],
        )
        event(case, Action.DISPATCH, at(DAY - timedelta(days=n), 11), to_department=users.dept)
        event(case, Action.RETURN, at(DAY - timedelta(days=n), 12), actor=users.department)
        cases.append(case)
    rollup(DAY - timedelta(days=5), DAY)
    return cases


def test_the_owner_sees_street_a(users, street_a):
    today = DAY + timedelta(days=40)
    assert hotspots(users.command, today=DAY).clusters
    assert recurring(users.command, today=DAY)["rows"]
    assert seasonality(users.command, today=today)["rows"]
    assert department_rates(users.command, today=today)["rows"]


def test_outsiders_see_nothing(city, users, street_a):
    other_district = make_user("command_far", Role.COMMAND, "520103")
    today = DAY + timedelta(days=40)
    for who in (users.outsider, other_district):
        assert hotspots(who, today=DAY).clusters == []
        assert recurring(who, today=DAY, min_recent=1)["rows"] == []
        assert seasonality(who, today=today)["rows"] == []
        assert department_rates(who, today=today)["rows"] == []
        codes = {r["grid_code"] for r in falling_grids(who, today=date(2026, 10, 12))["rows"]}
        assert not any(code.startswith(city.street_a.code) for code in codes)


@pytest.mark.parametrize("page", PAGES)
def test_pages_and_exports_show_no_case_of_street_a_to_the_outsider(
    client, city, users, street_a, page
):
    client.force_login(users.outsider)
    response = client.get(f"/assessment/analysis/{page}/?window=1096&days=366&min=1")
    assert response.status_code in (200, 400)
    body = response.content.decode()
    for case in street_a:
        assert case.number not in body
    exported = client.get(f"/assessment/analysis/{page}/?export=xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(BytesIO(exported.content)).active
    cells = [str(v) for row in sheet.iter_rows(min_row=2, values_only=True) for v in row]
    # The outsider's own grid (street b) may be listed; nothing of street a is.
    assert not [v for v in cells if v.startswith(city.street_a.code)]
    assert not [v for v in cells for case in street_a if case.number in v]
    if page != "falling":
        assert sheet.max_row == 1  # the header only


def test_roles_that_read_no_figures_are_refused(client, users):
    for who in (users.auditor, users.resident):
        client.force_login(who)
        assert client.get("/assessment/analysis/hotspots/").status_code == 403
        assert client.get("/api/v1/assessment/analysis/hotspots").status_code == 403
