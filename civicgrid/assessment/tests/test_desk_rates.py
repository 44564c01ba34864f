"""按时立案率, 准确立案率 (a duplicate merged after filing is not accurate), 按时派遣率 and
准确派遣率 (a dispatch the department returns is not accurate), read per community/street."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, at, event, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage

S = CaseStatus


def test_desk_rates(city, users):
    grid = city.grids["a1_west"].code
    cases = [new_case(grid, when=at(DAY, 8)) for _ in range(4)]
    for n, case in enumerate(cases):
        event(
            case,
            Action.ACCEPT,
            at(DAY, 9),
            actor=users.secretary,
            to_status=S.ACCEPTED,
            stage=Stage.ACCEPT,
            deadline=at(DAY, 9, 30),
            on_time=n != 3,
        )
    event(
        cases[0],
        Action.MERGE,
        at(DAY, 10),
        actor=users.command,
        from_status=S.ACCEPTED,
        to_status=S.MERGED,
    )
    for n, case in enumerate(cases[1:]):
        event(
            case,
            Action.DISPATCH,
            at(DAY, 11),
            actor=users.command,
            to_status=S.DISPATCHED,
            stage=Stage.DISPATCH,
            deadline=at(DAY, 10, 30),
            on_time=n == 0,
            to_department=users.dept,
        )
    event(
        cases[1],
        Action.RETURN,
        at(DAY, 12),
        actor=users.department,
        to_status=S.TO_DISPATCH,
        stage=Stage.HANDLE,
        deadline=at(DAY, 18),
        on_time=True,
    )
    rollup(DAY - timedelta(days=1), DAY)

    start = DAY.replace(day=1)
    [community] = compute_results(PeriodKind.MONTH, start, Level.COMMUNITY)
    assert community.key == city.comm_a1.code
    f = community.figures
    assert (f["accept_on_time_rate"]["numerator"], f["accept_on_time_rate"]["denominator"]) == (
        3,
        4,
    )
    assert (f["accurate_accept_rate"]["numerator"], f["accurate_accept_rate"]["denominator"]) == (
        3,
        4,
    )
    [street] = compute_results(PeriodKind.MONTH, start, Level.STREET)
    assert street.key == city.street_a.code
    g = street.figures
    assert (g["dispatch_on_time_rate"]["numerator"], g["dispatch_on_time_rate"]["denominator"]) == (
        1,
        3,
    )
    assert (
        g["accurate_dispatch_rate"]["numerator"],
        g["accurate_dispatch_rate"]["denominator"],
    ) == (2, 3)
