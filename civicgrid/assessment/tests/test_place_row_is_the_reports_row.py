"""``place_row`` gives one street's or community's row of the month's report — the same
cells, label and frozen values as the whole report — and nothing for other codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.reports import build_report, place_row
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import period_start
from civicgrid.assessment.tests.history import DAY, crew, handled_case

MONTH = period_start(PeriodKind.MONTH, DAY)


def test_the_row_equals_the_whole_reports(city: Any, users: Any) -> None:
    for grid in ("a1_west", "a2"):
        handled_case(city.grids[grid].code, **crew(users))
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))
    report = build_report(city.street_a, MONTH)
    (communities,) = [s for s in report.sheets if s.level == Level.COMMUNITY]
    for expected in [report.total, *communities.rows]:
        row = place_row(expected.key, MONTH)
        assert row is not None
        assert (row.label, row.cells) == (expected.label, expected.cells)


def test_no_row_for_a_grid_or_an_unknown_place(city: Any) -> None:
    assert place_row(city.grids["a2"].code, MONTH) is None
    assert place_row("999999999", MONTH) is None
