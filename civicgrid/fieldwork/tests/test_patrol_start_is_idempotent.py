"""Starting a patrol: the same client key twice gives one patrol, an open patrol is given
back, the grid must be the worker's own, only grid workers patrol."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from civicgrid.fieldwork import services
from civicgrid.fieldwork.models import Patrol
from civicgrid.fieldwork.tests.walks import at, inside_walk

NOW = at(10)


def test_same_client_key_twice_gives_one_patrol(users: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        first = services.patrol_start(worker=users.worker, at=at(9), client_key="phone-1")
        services.patrol_end(patrol=first, actor=users.worker)
        again = services.patrol_start(worker=users.worker, at=at(9), client_key="phone-1")
    assert again.pk == first.pk
    assert Patrol.objects.count() == 1


def test_a_worker_with_an_open_patrol_gets_it_back(users: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        first = services.patrol_start(worker=users.worker, client_key="a")
        second = services.patrol_start(worker=users.worker, client_key="b")
    assert second.pk == first.pk
    assert first.grid_code == users.worker.scope_codes[0]


def test_a_patrol_left_open_overnight_is_closed_and_a_new_one_starts(users: Any) -> None:
    with time_machine.travel(at(9, 30), tick=False):
        old = services.patrol_start(worker=users.worker, at=at(9))
        services.track_points_add(patrol=old, actor=users.worker, points=inside_walk(at(9), 30))
    with time_machine.travel(at(9) + timedelta(days=1), tick=False):
        new = services.patrol_start(worker=users.worker)
    old.refresh_from_db()
    assert new.pk != old.pk
    assert old.ended_at == at(9, 30)
    assert old.distance_m > 0


def test_another_workers_grid_is_refused(city: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.patrol_start(worker=users.worker, grid=city.grids["b1"])
    assert exc.value.message_dict == {"grid": ["只能在本人负责的网格巡查"]}


def test_only_grid_workers_patrol(users: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.patrol_start(worker=users.secretary)


def test_start_in_the_future_is_refused(users: Any) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError):
        services.patrol_start(worker=users.worker, at=NOW + timedelta(hours=1))


def test_end_is_idempotent_and_only_for_the_worker(users: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        patrol = services.patrol_start(worker=users.worker, at=at(9))
        with pytest.raises(PermissionDenied):
            services.patrol_end(patrol=patrol, actor=users.command)
        services.patrol_end(patrol=patrol, actor=users.worker, at=at(9, 45))
        services.patrol_end(patrol=patrol, actor=users.worker, at=at(9, 50))
    patrol.refresh_from_db()
    assert patrol.ended_at == at(9, 45)
    assert patrol.duration_s == 45 * 60
