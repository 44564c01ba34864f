"""A case reopened after closure (不满意 → 重新办理) owes a second closing: it is due, closed
and dispatched twice, accepted once, and its second handling is on the new department."""

from datetime import timedelta

from civicgrid.accounts.models import Department
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, at, crew, event, handled_case
from civicgrid.cases.choices import Action, CaseStatus, Stage


def test_reopened_case_counts_its_second_round(city, users):
    grid = city.grids["a1_west"].code
    case = handled_case(grid, **crew(users))
    other = Department.objects.create(code="sw", name="水务局", region_code=city.district.code)
    nxt = DAY + timedelta(days=1)
    event(
        case,
        Action.EVALUATE,
        at(nxt, 9),
        actor=users.resident,
        to_status=CaseStatus.CLOSED,
        data={"satisfaction": "unsatisfied"},
    )
    event(
        case,
        Action.REOPEN,
        at(nxt, 9, 5),
        actor=users.command,
        to_status=CaseStatus.ACCEPTED,
        next_deadline=at(nxt, 11),
    )
    event(case, Action.ROUTE, at(nxt, 9, 10), actor=users.command, to_status=CaseStatus.TO_DISPATCH)
    event(
        case,
        Action.DISPATCH,
        at(nxt, 9, 20),
        actor=users.command,
        to_status=CaseStatus.DISPATCHED,
        stage=Stage.DISPATCH,
        deadline=at(nxt, 11),
        on_time=True,
        next_deadline=at(nxt, 17),
        to_department=other,
    )
    event(
        case,
        Action.FEEDBACK,
        at(nxt, 18),
        actor=None,
        to_status=CaseStatus.TO_VERIFY,
        stage=Stage.HANDLE,
        deadline=at(nxt, 17),
        on_time=False,
    )
    event(
        case,
        Action.VERIFY,
        at(nxt, 19),
        actor=users.cadre,
        to_status=CaseStatus.CLOSED,
        stage=Stage.VERIFY,
        deadline=at(nxt, 20),
        on_time=True,
    )
    rollup(DAY, nxt)

    def total(measure, **kw):
        return sum(f.value for f in DailyFact.objects.filter(measure=measure, **kw))

    assert total("accepted") == 1
    assert total("dispatched") == 2
    assert total("closed") == 2
    assert total("due_to_close") == 2
    assert total("closed_on_time") == 1  # the second round was late
    assert total("reopened") == 1
    assert total("evaluated") == 1 and total("satisfied") == 0
    # The second round is the new department's, the first the old one's.
    assert total("due_to_close", department=other) == 1
    assert total("closed_on_time", department=other) == 0
    assert total("closed_on_time", department=users.dept) == 1
