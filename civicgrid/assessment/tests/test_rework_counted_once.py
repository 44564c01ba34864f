"""返工率 counts a reworked case once, however many times it is sent back."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, at, crew, event, handled_case, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage


def test_case_reworked_twice_counts_once(city, users):
    grid = city.grids["a1_west"].code
    handled_case(grid, **crew(users))
    case = new_case(grid, when=at(DAY, 8))
    event(
        case,
        Action.DISPATCH,
        at(DAY, 9),
        actor=users.command,
        to_status=CaseStatus.DISPATCHED,
        stage=Stage.DISPATCH,
        deadline=at(DAY, 11),
        on_time=True,
        next_deadline=at(DAY, 20),
        to_department=users.dept,
    )
    # feedback, rework, feedback, rework, feedback, verify: three feedbacks, two reworks.
    hour = 10
    for round_ in range(3):
        event(
            case,
            Action.FEEDBACK,
            at(DAY, hour),
            actor=users.department,
            to_status=CaseStatus.TO_VERIFY,
            stage=Stage.HANDLE,
            deadline=at(DAY, 20),
            on_time=True,
        )
        action = Action.REWORK if round_ < 2 else Action.VERIFY
        event(
            case,
            action,
            at(DAY, hour, 30),
            actor=users.cadre,
            to_status=CaseStatus.HANDLING if round_ < 2 else CaseStatus.CLOSED,
            stage=Stage.VERIFY,
            deadline=at(DAY, hour + 1),
            on_time=True,
            next_deadline=at(DAY, 20),
        )
        hour += 2
    rollup(DAY - timedelta(days=1), DAY)

    [dept] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.DEPARTMENT)
    f = dept.figures["rework_rate"]
    # reworked cases: 1 (not 2); disposals (feedbacks): 1 + 3 = 4.
    assert (f["numerator"], f["denominator"]) == (1, 4)
    assert f["value"] == 25.0
    assert f["score"] == 75.0  # lower is better: 100 − 25
