"""按时核实率 (grid worker): of the cases sent to verification in the period, those the grid's
worker verified (passed or sent back) by the verification deadline. A late check, a check by
somebody else and a case still waiting count against the worker; a case sent twice (after a
rework) is sent twice. The drill-down lists the cases the figure counts."""

from datetime import timedelta

from civicgrid.assessment.models import Indicator, IndicatorWeight, Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results, drill_cases, numerator_case_ids
from civicgrid.assessment.tests.history import DAY, at, event, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage

S = CaseStatus


def sent(case, hour):
    """A handling feedback at ``hour`` that puts the case before its worker for two hours."""
    event(
        case,
        Action.FEEDBACK,
        at(DAY, hour),
        from_status=S.HANDLING,
        to_status=S.TO_VERIFY,
        stage=Stage.HANDLE,
        deadline=at(DAY, 18),
        on_time=True,
        next_deadline=at(DAY, hour + 2),
    )


def check(case, hour, actor, *, on_time, action=Action.VERIFY):
    event(
        case,
        action,
        at(DAY, hour),
        actor=actor,
        from_status=S.TO_VERIFY,
        to_status=S.CLOSED if action == Action.VERIFY else S.HANDLING,
        stage=Stage.VERIFY,
        deadline=at(DAY, hour),
        on_time=on_time,
    )


def test_confirm_on_time_rate(city, users):
    grid = city.grids["a1_west"].code
    verified = new_case(grid)
    sent(verified, 9)
    check(verified, 10, users.worker, on_time=True)
    reworked = new_case(grid)
    sent(reworked, 9)
    check(reworked, 10, users.worker, on_time=True, action=Action.REWORK)
    sent(reworked, 13)  # sent again after the rework, checked late this time
    check(reworked, 17, users.worker, on_time=False)
    by_cadre = new_case(grid)
    sent(by_cadre, 9)
    check(by_cadre, 10, users.cadre, on_time=True)
    waiting = new_case(grid)
    sent(waiting, 11)
    # In a grid nobody works: nobody's figure.
    east = new_case(city.grids["a1_east"].code)
    sent(east, 9)
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))

    month = DAY.replace(day=1)
    [worker] = compute_results(PeriodKind.MONTH, month, Level.WORKER)
    assert worker.key == str(users.worker.pk)
    figure = worker.figures["confirm_on_time_rate"]
    assert (figure["numerator"], figure["denominator"]) == (2, 5)
    assert figure["value"] == 40.0
    grids = {s.key: s for s in compute_results(PeriodKind.MONTH, month, Level.GRID)}
    assert grids[grid].figures["confirm_on_time_rate"]["denominator"] == 5

    indicator = Indicator.objects.get(code="confirm_on_time_rate")
    assert indicator.active
    assert IndicatorWeight.objects.get(level=Level.WORKER, indicator=indicator).weight == 20

    drilled = drill_cases(
        users.command, indicator, PeriodKind.MONTH, month, Level.WORKER, worker.key
    )
    assert set(drilled) == {verified, reworked, by_cadre, waiting}
    assert numerator_case_ids(indicator, PeriodKind.MONTH, month, Level.WORKER, worker.key) == {
        verified.pk,
        reworked.pk,
    }


def test_check_after_the_month_counts_on_the_day_sent(city, users):
    """The figure sits on the day the case was sent: a check that arrives later raises that
    day's numerator when the rollup recounts it."""
    grid = city.grids["a1_west"].code
    case = new_case(grid)
    sent(case, 9)
    rollup(DAY, DAY)
    [before] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.WORKER)
    assert before.figures["confirm_on_time_rate"]["numerator"] == 0
    check(case, 10, users.worker, on_time=True)
    rollup(DAY, DAY)
    [after] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.WORKER)
    assert (
        after.figures["confirm_on_time_rate"]["numerator"],
        after.figures["confirm_on_time_rate"]["denominator"],
    ) == (1, 1)
