"""一日双巡达标率 and visits come from field work into the same fact table, on the worker."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.assessment.tests.history import DAY
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.models import DailyCompliance


def test_patrol_compliance_rate(city, users):
    grid = city.grids["a1_west"]
    statuses = [ComplianceStatus.COMPLIANT] * 3 + [ComplianceStatus.ONE_ONLY]
    for n, status in enumerate(statuses):
        DailyCompliance.objects.create(
            worker=users.worker,
            grid=grid,
            grid_code=grid.code,
            day=DAY - timedelta(days=n),
            status=status,
        )
    rollup(DAY - timedelta(days=5), DAY)
    [worker] = compute_results(PeriodKind.MONTH, DAY.replace(day=1), Level.WORKER)
    assert worker.key == str(users.worker.pk)
    patrol = worker.figures["patrol_rate"]
    assert (patrol["numerator"], patrol["denominator"], patrol["value"]) == (3, 4, 75.0)
    assert worker.score == 75.0  # the only indicator with data
    assert worker.grade == "B"
