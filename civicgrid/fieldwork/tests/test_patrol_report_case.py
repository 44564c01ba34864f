"""A problem found on patrol becomes a case through the one intake, linked to the patrol and
placed where the worker stands when no position is given."""

from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from civicgrid.cases.choices import Channel
from civicgrid.fieldwork import services
from civicgrid.fieldwork.models import PatrolFinding
from civicgrid.fieldwork.tests.walks import at, inside_walk
from civicgrid.testing.cases import case_category


def test_report_from_a_patrol_links_a_finding(city: Any, users: Any) -> None:
    with time_machine.travel(at(9, 20), tick=False):
        patrol = services.patrol_start(worker=users.worker, at=at(9))
        services.track_points_add(
            patrol=patrol, actor=users.worker, points=inside_walk(at(9), minutes=20)
        )
        case = services.patrol_report_case(
            patrol=patrol,
            actor=users.worker,
            category=case_category(),
            description="路边垃圾堆放未清运",
        )
    assert case.channel == Channel.GRID_WORKER
    assert case.grid_code == city.grids["a1_west"].code
    assert (case.lat, case.lng) == (26.505, 106.7085)
    assert PatrolFinding.objects.get().patrol == patrol


def test_only_the_patrols_worker_reports_from_it(users: Any) -> None:
    with time_machine.travel(at(9, 20), tick=False):
        patrol = services.patrol_start(worker=users.worker, at=at(9))
        with pytest.raises(PermissionDenied):
            services.patrol_report_case(
                patrol=patrol,
                actor=users.outsider,
                category=case_category(),
                description="路边垃圾堆放未清运",
            )
