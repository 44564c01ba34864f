"""有效上报率 (voided reports are not valid) and 漏报 (a report in a grid by somebody else than
its grid worker, counted against that worker)."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, at, event, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage


def test_valid_reports_and_missed_reports(city, users):
    grid = city.grids["a1_west"].code
    for n in range(4):  # the worker's own reports, one of them voided
        case = new_case(grid, when=at(DAY, 8 + n))
        event(
            case, Action.REPORT, at(DAY, 8 + n), actor=users.worker, to_status=CaseStatus.REPORTED
        )
        if n == 0:
            event(
                case,
                Action.VOID,
                at(DAY, 12),
                actor=users.secretary,
                to_status=CaseStatus.VOIDED,
                stage=Stage.ACCEPT,
            )
    # A resident reported one in the worker's grid: missed by the worker.
    missed = new_case(grid, when=at(DAY, 15))
    event(missed, Action.REPORT, at(DAY, 15), actor=users.resident, to_status=CaseStatus.REPORTED)
    # A report in a grid nobody works (a1_east): missed by nobody.
    east = new_case(city.grids["a1_east"].code, when=at(DAY, 15))
    event(east, Action.REPORT, at(DAY, 15), actor=users.resident, to_status=CaseStatus.REPORTED)
    rollup(DAY - timedelta(days=1), DAY)

    [worker] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.WORKER)
    assert worker.key == str(users.worker.pk)
    valid = worker.figures["valid_report_rate"]
    assert (valid["numerator"], valid["denominator"]) == (3, 4)
    miss = worker.figures["missed_rate"]
    # 1 missed out of the 5 reports made in the worker's grid.
    assert (miss["numerator"], miss["denominator"]) == (1, 5)
    assert miss["score"] == 80.0
    # Weighted: valid 75 × 40 + missed 80 × 20 over weight 60 (no check or patrol data yet).
    assert worker.score == round((75 * 40 + 80 * 20) / 60, 2)
