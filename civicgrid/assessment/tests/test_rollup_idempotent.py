"""Running the rollup twice over the same days gives the same rows, not doubled ones."""

from datetime import timedelta

from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, crew, handled_case


def _rows():
    return sorted(
        DailyFact.objects.values_list(
            "day", "region_code", "category_id", "department_id", "worker_id", "measure", "value"
        ),
        key=repr,
    )


def test_rollup_rerun_gives_same_rows(city, users):
    handled_case(city.grids["a1_west"].code, **crew(users))
    first = rollup(DAY - timedelta(days=3), DAY + timedelta(days=3))
    rows = _rows()
    second = rollup(DAY - timedelta(days=3), DAY + timedelta(days=3))
    assert first == second == len(rows) > 0
    assert _rows() == rows
    # A narrower rerun leaves the other days alone.
    rollup(DAY, DAY)
    assert _rows() == rows
