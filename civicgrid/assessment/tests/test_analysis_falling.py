"""Grids whose visit coverage fell: households visited in the window now against the window
ending 30 days ago (today's households as denominator), ledger completeness only today."""

from datetime import date, datetime, time, timedelta

from civicgrid.assessment.analysis import falling_grids
from civicgrid.assessment.measures import local_tz
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Visit
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household

TODAY = date(2026, 10, 12)


def households(grid, n):
    building = make_building(grid)
    return [make_household(make_dwelling(building)) for _i in range(n)]


def visit(worker, household, days_before):
    Visit.objects.create(
        worker=worker,
        grid=household.grid,
        grid_code=household.grid_code,
        household=household,
        visited_at=datetime.combine(TODAY - timedelta(days=days_before), time(10), local_tz()),
        purpose=VisitPurpose.ROUTINE,
        findings="走访",
    )


def test_coverage_now_against_then(city, users):
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    w = households(west, 4)
    e = households(east, 2)
    visit(users.worker, w[0], 1)
    visit(users.worker, w[0], 3)  # the same household twice counts once
    for h in w[:3]:
        visit(users.worker, h, 40)
    for h in e:
        visit(users.worker, h, 5)

    result = falling_grids(users.command, today=TODAY)
    rows = {r["grid_code"]: r for r in result["rows"]}
    assert result["rows"][0]["grid_code"] == west.code  # fell most
    assert (rows[west.code]["coverage"], rows[west.code]["coverage_before"]) == (25.0, 75.0)
    assert rows[west.code]["coverage_change"] == -50.0
    assert rows[east.code]["coverage_change"] == 100.0
    # Month by month (August → October here): September had west's three visits.
    months = result["months"]
    assert months[-1] == date(2026, 10, 1)
    sept = months.index(date(2026, 9, 1))
    assert rows[west.code]["monthly"][sept] == 75.0
    # Completeness is today's score from the ledger audit, present for every visible grid.
    assert rows[west.code]["completeness"] is not None
    assert rows[west.code]["households"] == 4
