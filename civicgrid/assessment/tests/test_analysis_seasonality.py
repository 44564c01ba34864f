"""Seasonality: cases per 大类 and calendar month over whole past years, months above the
category's average month marked."""

from datetime import date, datetime, time

from civicgrid.assessment.analysis import seasonality
from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.tests.history import new_case

TODAY = date(2026, 10, 12)


def on(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=local_tz())


def test_counts_by_calendar_month_and_marks_months_above_average(city, users):
    grid = city.grids["a1_west"]
    # Two Julys of two years and one March: 5 cases over 12 months, average 5/12.
    for day in (date(2025, 7, 3), date(2025, 7, 20), date(2024, 7, 9), date(2026, 3, 1)):
        new_case(grid.code, grid=grid, when=on(day))
    new_case(grid.code, grid=grid, when=on(date(2026, 3, 31)))
    new_case(grid.code, grid=grid, when=on(date(2026, 10, 2)))  # this month: not a whole month
    new_case(grid.code, grid=grid, when=on(date(2023, 9, 30)))  # before the three years

    result = seasonality(users.command, years=3, today=TODAY)
    assert result["start"] == date(2023, 10, 1) and result["end"] == date(2026, 9, 30)
    assert len(result["months"]) == 36
    (row,) = result["rows"]
    assert row["category"].startswith("01 ")  # the 大类 of the seeded 0102
    counts = [c["count"] for c in row["cells"]]
    assert counts[6] == 3 and counts[2] == 2 and sum(counts) == 5
    assert [c["month"] for c in row["cells"] if c["above"]] == [3, 7]
    assert sum(row["series"]) == 5

    minor = seasonality(users.command, years=3, by_minor=True, today=TODAY)
    assert minor["rows"][0]["category"].startswith("0102 ")
