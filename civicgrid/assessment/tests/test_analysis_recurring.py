"""Recurring problems per grid: a category's cases in the last 90 days against the 90 before,
biggest increase first; voided reports do not count."""

from datetime import timedelta

from civicgrid.assessment.analysis import recurring
from civicgrid.assessment.tests.history import DAY, at, new_case
from civicgrid.cases.choices import CaseStatus
from civicgrid.testing.cases import case_category


def test_increase_per_grid_and_category(city, users):
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    for d in (1, 10, 20, 30):  # west: 4 recent, 1 before
        new_case(west.code, grid=west, when=at(DAY - timedelta(days=d)))
    new_case(west.code, grid=west, when=at(DAY - timedelta(days=120)))
    new_case(west.code, grid=west, when=at(DAY - timedelta(days=2)), status=CaseStatus.VOIDED)
    for d in (5, 6, 7, 100, 110, 130, 150, 170):  # east: 3 recent, 5 before
        new_case(east.code, grid=east, when=at(DAY - timedelta(days=d)))
    new_case(east.code, grid=east, when=at(DAY - timedelta(days=200)))  # outside both periods
    other = case_category("0101")
    new_case(east.code, grid=east, category=other, when=at(DAY - timedelta(days=3)))

    result = recurring(users.command, today=DAY)
    rows = [(r["grid_code"], r["recent"], r["before"], r["increase"]) for r in result["rows"]]
    assert rows == [(west.code, 4, 1, 3), (east.code, 3, 5, -2)]
    assert recurring(users.command, today=DAY, min_recent=4)["rows"][0]["grid_code"] == west.code
    assert len(recurring(users.command, today=DAY, min_recent=1)["rows"]) == 3
