"""按期结案率 = closed_on_time / (due_to_close − deferred): a deferred (缓办) stretch leaves
the denominator, a late feedback stays in it."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, at, crew, event, handled_case, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage


def test_deferred_case_leaves_the_denominator(city, users):
    grid = city.grids["a1_west"].code
    kw = crew(users)
    handled_case(grid, **kw)  # on time
    handled_case(grid, **kw)  # on time
    handled_case(grid, fed_back_on_time=False, **kw)  # late
    # A fourth case dispatched to the department, then deferred by the command centre before
    # its deadline (day 18:00): due that day, and deferred that day.
    deferred = new_case(grid, when=at(DAY, 8))
    event(
        deferred,
        Action.DISPATCH,
        at(DAY, 9),
        actor=users.command,
        to_status=CaseStatus.DISPATCHED,
        stage=Stage.DISPATCH,
        deadline=at(DAY, 11),
        on_time=True,
        next_deadline=at(DAY, 18),
        to_department=users.dept,
    )
    event(
        deferred,
        Action.DEFER,
        at(DAY, 10),
        actor=users.command,
        to_status=CaseStatus.DEFERRED,
        stage=Stage.HANDLE,
        deadline=at(DAY, 18),
    )
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))

    [dept] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.DEPARTMENT)
    f = dept.figures["close_on_time_rate"]
    # due: 3 fed back + 1 deferred = 4; minus 1 deferred = 3; on time: 2.
    assert (f["numerator"], f["denominator"]) == (2, 3)
    assert f["value"] == 66.67
    close = dept.figures["close_rate"]
    assert (close["numerator"], close["denominator"]) == (3, 4)
