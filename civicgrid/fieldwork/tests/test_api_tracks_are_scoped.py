"""Tracks are personal data: an outsider gets 404 on another worker's patrol and track, a
grid worker sees only their own patrols, a department or auditor is refused, and the command
centre's read of a worker's track is audited."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.models import Patrol, TrackPoint
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork"


@pytest.fixture
def patrol(city: TestCity, users: RoleUsers) -> Patrol:
    grid = city.grids["a1_west"]
    start = timezone.now() - timedelta(hours=1)
    patrol = Patrol.objects.create(
        worker=users.worker, grid=grid, grid_code=grid.code, started_at=start,
        ended_at=start + timedelta(minutes=5),
    )  # fmt: skip
    TrackPoint.objects.bulk_create(
        TrackPoint(patrol=patrol, at=start + timedelta(seconds=20 * i), lat=26.505, lng=106.705)
        for i in range(5)
    )
    return patrol


def get(client: Client, user: Any, path: str) -> Any:
    client.force_login(user)
    return client.get(f"{API}{path}")


@pytest.mark.parametrize("path", ["/patrols/{pk}", "/patrols/{pk}/track"])
def test_outsider_gets_404(client: Client, users: RoleUsers, patrol: Patrol, path: str) -> None:
    assert get(client, users.outsider, path.format(pk=patrol.pk)).status_code == 404


def test_outsider_cannot_upload_to_or_end_another_patrol(
    client: Client, users: RoleUsers, patrol: Patrol
) -> None:
    client.force_login(users.outsider)
    body = '{"points": []}'
    points = client.post(f"{API}/patrols/{patrol.pk}/points", body, content_type="application/json")
    end = client.post(f"{API}/patrols/{patrol.pk}/end", "{}", content_type="application/json")
    assert points.status_code == 404
    assert end.status_code == 404


def test_list_shows_a_grid_worker_only_their_own(
    client: Client, users: RoleUsers, patrol: Patrol
) -> None:
    assert get(client, users.worker, "/patrols").json()["count"] == 1
    assert get(client, users.outsider, "/patrols").json()["count"] == 0
    assert get(client, users.command, "/patrols").json()["count"] == 1


@pytest.mark.parametrize("who", ["auditor", "department", "resident"])
def test_roles_without_tracks_are_refused(
    client: Client, users: RoleUsers, patrol: Patrol, who: str
) -> None:
    assert get(client, getattr(users, who), f"/patrols/{patrol.pk}/track").status_code == 403


def test_command_reading_a_track_is_audited_the_worker_reading_theirs_is_not(
    client: Client, users: RoleUsers, patrol: Patrol
) -> None:
    before = AuditEntry.objects.count()
    response = get(client, users.worker, f"/patrols/{patrol.pk}/track")
    assert len(response.json()["points"]) == 5
    assert AuditEntry.objects.count() == before
    assert get(client, users.command, f"/patrols/{patrol.pk}/track").status_code == 200
    assert AuditEntry.objects.count() == before + 1


def test_calendar_of_another_worker_is_404_outside_the_jurisdiction(
    client: Client, users: RoleUsers
) -> None:
    path = f"/compliance/{users.worker.pk}?month=2026-05"
    assert get(client, users.outsider, path).status_code == 404
    assert get(client, users.secretary, path).status_code == 200
    assert get(client, users.worker, path).status_code == 200
