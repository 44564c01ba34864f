"""The rollup's grouped counts equal a direct recount of the events in Python, on random
histories (hypothesis: random actions, days, grids, on-time flags)."""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import TZ, at, event, new_case
from civicgrid.cases.choices import Action, Stage
from civicgrid.cases.models import CaseEvent

START = date(2026, 10, 5)
SIMPLE = {
    "reported": lambda e: e.action == Action.REPORT,
    "accepted": lambda e: e.action == Action.ACCEPT,
    "accepted_on_time": lambda e: e.action == Action.ACCEPT and e.on_time is True,
    "voided": lambda e: e.action == Action.VOID,
    "dispatched": lambda e: e.action == Action.DISPATCH,
    "dispatched_on_time": lambda e: e.action == Action.DISPATCH and e.on_time is True,
    "disposed": lambda e: e.action == Action.FEEDBACK,
    "closed": lambda e: e.action == Action.VERIFY,
    "verified": lambda e: e.stage == Stage.VERIFY,
}
ACTIONS = [
    Action.REPORT,
    Action.ACCEPT,
    Action.VOID,
    Action.DISPATCH,
    Action.FEEDBACK,
    Action.VERIFY,
    Action.REWORK,
]

step = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(min_value=0, max_value=4),  # day offset
    st.integers(min_value=0, max_value=23),  # local hour (crosses UTC midnight)
    st.booleans(),  # on time
)
histories = st.lists(
    st.tuples(
        st.sampled_from(["a1_west", "a1_east", "b1"]), st.lists(step, min_size=1, max_size=5)
    ),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories)
def test_rollup_matches_direct_recount(city, users, history):
    CaseEvent.objects.all().delete()
    for grid, steps in history:
        case = new_case(city.grids[grid].code)
        for action, offset, hour, on_time in steps:
            stage = Stage.VERIFY if action in (Action.VERIFY, Action.REWORK) else ""
            event(
                case,
                action,
                at(START + timedelta(days=offset), hour),
                actor=users.worker,
                stage=stage,
                on_time=on_time,
                to_department=users.dept if action == Action.DISPATCH else None,
            )
    rollup(START, START + timedelta(days=4))

    expected: Counter[tuple[str, date, str]] = Counter()
    reworked_cases = set()
    for e in CaseEvent.objects.select_related("case"):
        day = e.at.astimezone(TZ).date()
        for code, test in SIMPLE.items():
            if test(e):
                expected[(code, day, e.case.grid_code)] += 1
        if e.action == Action.REWORK:
            reworked_cases.add(e.case_id)
    got: Counter[tuple[str, date, str]] = Counter()
    for row in (
        DailyFact.objects.filter(measure__in=list(SIMPLE))
        .values("measure", "day", "region_code")
        .annotate(n=Sum("value"))
    ):
        got[(row["measure"], row["day"], row["region_code"])] = row["n"]
    assert got == expected
    reworked = DailyFact.objects.filter(measure="reworked").aggregate(n=Sum("value"))["n"] or 0
    assert reworked == len(reworked_cases)
