"""A plain case, reported, accepted, dispatched, fed back and verified on one day, gives one
of each measure, each on the right person and department."""

from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.tests.history import DAY, crew, handled_case


def test_one_handled_case_counts_once_in_each_measure(city, users, facts_of):
    grid = city.grids["a1_west"].code
    handled_case(grid, **crew(users))
    got = facts_of()
    for code in (
        "reported",
        "reported_valid",
        "grid_reported",
        "accepted",
        "accepted_on_time",
        "dispatched",
        "dispatched_on_time",
        "disposed",
        "disposed_on_time",
        "closed",
        "closed_on_time",
        "due_to_close",
        "verified",
        "verified_on_time",
    ):
        assert got.get(code) == 1, code
    assert "missed" not in got and "reworked" not in got and "deferred" not in got
    assert DailyFact.objects.get(measure="reported").worker_id == users.worker.pk
    assert DailyFact.objects.get(measure="disposed").department_id == users.dept.pk
    assert DailyFact.objects.get(measure="due_to_close").department_id == users.dept.pk
    assert DailyFact.objects.get(measure="dispatched").department_id == users.dept.pk
    assert {f.day for f in DailyFact.objects.all()} == {DAY}
    assert {f.region_code for f in DailyFact.objects.all()} == {grid}
