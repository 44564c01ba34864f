"""A frozen month's results do not change after later events (a late event about that month);
only --recompute rebuilds it, from the events, so it then shows the late event too."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind, PeriodResult
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import results, snapshot
from civicgrid.assessment.tests.history import DAY, crew, handled_case

MONTH = DAY.replace(day=1)


def _worker_total(users):
    [row] = [
        s for s in results(PeriodKind.MONTH, MONTH, Level.WORKER) if s.key == str(users.worker.pk)
    ]
    return row.figures["valid_report_rate"]["denominator"], row.score


def test_frozen_month_does_not_move(city, users):
    kw = crew(users)
    handled_case(city.grids["a1_west"].code, **kw)
    rollup(MONTH, DAY)
    assert snapshot(PeriodKind.MONTH, MONTH) > 0
    frozen = list(
        PeriodResult.objects.order_by("pk").values_list(
            "subject_key", "indicator", "numerator", "denominator", "score"
        )
    )
    assert _worker_total(users)[0] == 1

    # A case of that month arrives late (written after the freeze) and the facts are recounted.
    handled_case(city.grids["a1_west"].code, day=DAY + timedelta(days=1), **kw)
    rollup(MONTH, DAY + timedelta(days=1))
    assert snapshot(PeriodKind.MONTH, MONTH) == 0  # frozen: not rewritten
    again = list(
        PeriodResult.objects.order_by("pk").values_list(
            "subject_key", "indicator", "numerator", "denominator", "score"
        )
    )
    assert again == frozen
    assert _worker_total(users)[0] == 1

    assert snapshot(PeriodKind.MONTH, MONTH, recompute=True) > 0
    assert _worker_total(users)[0] == 2
