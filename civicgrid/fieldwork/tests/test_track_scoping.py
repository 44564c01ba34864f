"""Who reads a patrol: the worker, their secretary/cadre and the command centre of their
jurisdiction; not an outsider, not another grid worker of the same community, not the
auditor, a department or a resident (404, the same as missing; empty lists)."""

from typing import Any

import pytest
from django.http import Http404

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.compliance import compliance_for_day
from civicgrid.fieldwork.selectors import (
    access_patrol,
    compliance_list,
    compliance_month,
    flags_list,
    onduty,
    patrol_list,
)
from civicgrid.fieldwork.tests.walks import MID_LAT, MONDAY, at, line, walk
from civicgrid.testing.users import make_user


@pytest.fixture
def patrol(users: Any) -> Any:
    # Far outside the grid, so it has a flag to find.
    return walk(users.worker, line((MID_LAT, 106.725), (MID_LAT, 106.726), at(9), 30))


@pytest.fixture
def neighbour(city: Any, users: Any) -> Any:
    """A grid worker of the same community, next grid (a1_east)."""
    return make_user("neighbour", Role.GRID_WORKER, city.grids["a1_east"].code)


def sees(user: Any, patrol: Any) -> bool:
    try:
        access_patrol(user, patrol.pk)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("name", ["worker", "secretary", "cadre", "command", "sysadmin"])
def test_the_worker_and_their_supervisors_see_the_patrol(
    users: Any, patrol: Any, name: str
) -> None:
    user = getattr(users, name)
    assert sees(user, patrol)
    assert list(patrol_list(user, day=MONDAY)) == [patrol]
    assert flags_list(user, MONDAY, MONDAY).count() == 1
    assert len(onduty(user, MONDAY)["features"]) == 2


@pytest.mark.parametrize("name", ["outsider", "auditor", "department", "resident"])
def test_others_get_404_and_empty_lists(users: Any, patrol: Any, name: str) -> None:
    user = getattr(users, name)
    compliance_for_day(MONDAY)
    assert not sees(user, patrol)
    assert not patrol_list(user).exists()
    assert not flags_list(user, MONDAY, MONDAY).exists()
    assert onduty(user, MONDAY)["features"] == []
    assert compliance_month(user, users.worker, 2026, 11) == []
    assert not compliance_list(user, MONDAY).filter(worker=users.worker).exists()


def test_another_grid_worker_of_the_same_community_sees_nothing(
    users: Any, patrol: Any, neighbour: Any
) -> None:
    compliance_for_day(MONDAY)
    assert not sees(neighbour, patrol)
    assert not patrol_list(neighbour).exists()
    assert onduty(neighbour, MONDAY)["features"] == []
    assert compliance_month(neighbour, users.worker, 2026, 11) == []
    # Their own verdict only.
    assert list(compliance_list(neighbour, MONDAY).values_list("worker", flat=True)) == [
        neighbour.pk
    ]


def test_the_secretary_sees_the_communitys_verdicts(users: Any, patrol: Any) -> None:
    compliance_for_day(MONDAY)
    rows = compliance_list(users.secretary, MONDAY)
    assert [r.worker for r in rows] == [users.worker]
    assert [r.day for r in compliance_month(users.secretary, users.worker, 2026, 11)] == [MONDAY]
