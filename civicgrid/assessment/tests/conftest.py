from __future__ import annotations

from typing import Any

import pytest

from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY


@pytest.fixture
def facts_of() -> Any:
    """Roll the test day up and return {measure: total} over all facts."""
    from django.db.models import Sum

    from civicgrid.assessment.models import DailyFact

    def run(start: Any = DAY, end: Any = DAY, **filters: Any) -> dict[str, int]:
        rollup(start, end)
        rows = (
            DailyFact.objects.filter(**filters)
            .values("measure")
            .order_by()
            .annotate(total=Sum("value"))
        )
        return {r["measure"]: r["total"] for r in rows}

    return run
