"""Departments with rising 回退率/返工率: read from the facts (the measures' definitions), the
last three whole months against the three before, sorted by the larger rise."""

from datetime import date, timedelta

from civicgrid.accounts.models import Department
from civicgrid.assessment.analysis import department_rates
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import at, event, new_case
from civicgrid.cases.choices import Action

TODAY = date(2026, 10, 12)  # recent: July–September; before: April–June


def dispatched(city, users, dept, day, *, returned=False, fed_back=False, reworked=False):
    case = new_case(city.grids["a1_west"].code, when=at(day, 8))
    event(case, Action.DISPATCH, at(day, 9), actor=users.command, to_department=dept)
    if returned:
        event(case, Action.RETURN, at(day, 10), actor=users.department)
    if fed_back:
        event(case, Action.FEEDBACK, at(day, 11), actor=users.department)
    if reworked:
        event(case, Action.REWORK, at(day, 12), actor=users.cadre)
        event(case, Action.REWORK, at(day, 13), actor=users.cadre)  # a case counts once


def test_rates_and_their_rise(city, users):
    before, recent = date(2026, 5, 10), date(2026, 8, 10)
    dispatched(city, users, users.dept, before, returned=True)
    for _n in range(3):
        dispatched(city, users, users.dept, before, fed_back=True)
    dispatched(city, users, users.dept, recent, returned=True)
    dispatched(city, users, users.dept, recent, fed_back=True, reworked=True)
    dispatched(city, users, users.dept, TODAY - timedelta(days=2), returned=True)  # this month
    quiet = Department.objects.create(code="a-sw", name="甲水务", region_code=city.street_a.code)
    dispatched(city, users, quiet, before, fed_back=True)
    rollup(date(2026, 4, 1), TODAY)

    result = department_rates(users.command, today=TODAY)
    assert result["recent_start"] == date(2026, 7, 1) and result["end"] == date(2026, 9, 30)
    assert result["before_start"] == date(2026, 4, 1)
    first, second = result["rows"]
    assert first["department_id"] == users.dept.pk
    assert (first["return_rate_before"], first["return_rate"], first["return_change"]) == (
        25.0,
        50.0,
        25.0,
    )
    assert (first["rework_rate_before"], first["rework_rate"], first["rework_change"]) == (
        0.0,
        100.0,
        100.0,
    )
    assert first["rise"] == 100.0
    # Nothing dispatched to it lately: its rates now are unknown, so it sorts last.
    assert second["department_id"] == quiet.pk and second["rise"] is None


def test_a_department_sees_only_itself(city, users):
    quiet = Department.objects.create(code="a-sw", name="甲水务", region_code=city.street_a.code)
    dispatched(city, users, users.dept, date(2026, 8, 10), returned=True)
    dispatched(city, users, quiet, date(2026, 8, 10), returned=True)
    rollup(date(2026, 8, 10), date(2026, 8, 10))
    rows = department_rates(users.department, today=TODAY)["rows"]
    assert [r["department_id"] for r in rows] == [users.dept.pk]
