"""Case intake through the real service: locate, responsibility rule, number, accept
deadline, first event and the community desk's notifications. Target ≥ 200 cases/s on SQLite."""

import random
import time
from collections.abc import Callable
from typing import Any

import pytest

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case, Category
from civicgrid.cases.services import case_report
from civicgrid.testing.cases import MONDAY_10
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
BATCH = 200


def test_case_report_throughput(
    benchmark: Any,
    city: TestCity,
    users: RoleUsers,
    report_throughput: Callable[[str, float, str], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    rng = random.Random(4)
    categories = list(Category.objects.current().minors())
    # Points over street a's three grids (the community desk there gets notified).
    points = [
        (ORIGIN_LAT + rng.random() * STEP, ORIGIN_LNG + rng.random() * 3 * STEP)
        for _ in range(BATCH)
    ]
    case_report(  # warm the grid index and the working-time calendar, as a running server has
        channel=Channel.GRID_WORKER, category=categories[0], description="预热",
        lat=points[0][0], lng=points[0][1], actor=users.command, at=MONDAY_10,
    )  # fmt: skip
    timings: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            for i, (lat, lng) in enumerate(points):
                case_report(
                    channel=Channel.HOTLINE,
                    category=categories[i % len(categories)],
                    description="群众来电反映问题",
                    lat=lat,
                    lng=lng,
                    reporter_phone="13800005678",
                    actor=users.command,
                    at=MONDAY_10,
                )
        timings.append(time.perf_counter() - start)

    benchmark.pedantic(run, rounds=3, iterations=1)
    assert Case.objects.count() == 1 + 3 * BATCH
    report_throughput("case intake through case_report", BATCH / min(timings), "cases/s")
