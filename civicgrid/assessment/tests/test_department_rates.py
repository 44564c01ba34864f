"""按时处置率, 处置率, 延期率 and 满意率 of a department on a hand-built history."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, at, crew, event, handled_case, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage

S = CaseStatus


def test_department_rates(city, users):
    grid = city.grids["a1_west"].code
    kw = crew(users)
    done = [
        handled_case(grid, **kw),
        handled_case(grid, **kw),
        handled_case(grid, fed_back_on_time=False, **kw),
    ]
    # A fourth dispatch still being handled, with an approved extension.
    open_case = new_case(grid, when=at(DAY, 8))
    event(
        open_case,
        Action.DISPATCH,
        at(DAY, 9),
        actor=users.command,
        to_status=S.DISPATCHED,
        stage=Stage.DISPATCH,
        deadline=at(DAY, 11),
        on_time=True,
        next_deadline=at(DAY + timedelta(days=3), 18),
        to_department=users.dept,
    )
    event(
        open_case,
        Action.REQUEST_EXTENSION,
        at(DAY, 10),
        actor=users.department,
        to_status=S.EXTENSION_PENDING,
    )
    event(
        open_case,
        Action.APPROVE_EXTENSION,
        at(DAY, 11),
        actor=users.command,
        to_status=S.HANDLING,
        next_deadline=at(DAY + timedelta(days=5), 18),
    )
    # Two evaluations: satisfied and unsatisfied.
    event(
        done[0],
        Action.EVALUATE,
        at(DAY, 20),
        actor=users.resident,
        data={"satisfaction": "satisfied"},
    )
    event(
        done[1],
        Action.EVALUATE,
        at(DAY, 20),
        actor=users.resident,
        data={"satisfaction": "unsatisfied"},
    )
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=6))

    [dept] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.DEPARTMENT)
    f = {code: (v["numerator"], v["denominator"]) for code, v in dept.figures.items()}
    assert f["dispose_on_time_rate"] == (2, 3)
    assert f["dispose_rate"] == (3, 4)
    assert f["extension_rate"] == (1, 4)
    assert f["satisfaction_rate"] == (1, 2)
    # The extended case is due on its new deadline (day + 5), still running: 3 + 1 due.
    assert f["close_rate"] == (3, 4)
    assert dept.figures["extension_rate"]["score"] == 75.0
