"""处置率 and 结案率 never pass 100 %: a case dispatched last month and fed back this month is
counted with the cohort whose deadline fell this month, on both sides of the rate."""

from datetime import date

from django.db.models import F

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY, crew, handled_case
from civicgrid.cases.choices import Action
from civicgrid.cases.models import CaseEvent


def test_a_case_dispatched_last_month_stays_in_its_cohort(city, users):
    grid = city.grids["a1_west"].code
    kw = crew(users)
    handled_case(grid, **kw)
    carried = handled_case(grid, **kw)
    # Reported, filed and dispatched on the last day of September; handled and closed in
    # October (by its October deadline).
    CaseEvent.objects.filter(
        case=carried, action__in=[Action.REPORT, Action.ACCEPT, Action.ROUTE, Action.DISPATCH]
    ).update(at=F("at") - (DAY - date(2026, 9, 30)))
    rollup(date(2026, 9, 29), DAY)

    [dept] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.DEPARTMENT)
    dispose = dept.figures["dispose_rate"]
    close = dept.figures["close_rate"]
    # Both stretches were due in October and both were handled and closed: 2 of 2.
    assert (dispose["numerator"], dispose["denominator"]) == (2, 2)
    assert (close["numerator"], close["denominator"]) == (2, 2)
    assert dispose["value"] == 100.0
