"""A patrol's page: its worker and the supervisors of its jurisdiction; nobody else, and a
supervisor's look at the track is audited (PIPL art. 28)."""

from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.tests.page_helpers import make_flag, make_patrol
from civicgrid.testing.users import make_user


@pytest.fixture
def patrol(users: Any, city: Any) -> Any:
    patrol = make_patrol(users.worker, city.grids["a1_west"])
    make_flag(patrol)
    return patrol


@pytest.mark.django_db
def test_worker_sees_own_figures_flags_and_track_unaudited(
    client: Any, users: Any, patrol: Any
) -> None:
    client.force_login(users.worker)
    response = client.get(f"/fieldwork/patrols/{patrol.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "定位跳变" in body and "86 公里/小时" in body
    assert 'id="track-points"' in body
    assert "1234" in body
    assert not AuditEntry.objects.filter(action="track_view").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "command", "cadre"])
def test_supervisor_view_is_audited(client: Any, users: Any, patrol: Any, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/").status_code == 200
    entry = AuditEntry.objects.get(action="track_view")
    assert entry.actor == getattr(users, role)


@pytest.mark.django_db
def test_outsider_gets_404(client: Any, users: Any, patrol: Any) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/").status_code == 404


@pytest.mark.django_db
def test_colleague_of_same_grid_gets_404(client: Any, users: Any, city: Any, patrol: Any) -> None:
    colleague = make_user("worker2", Role.GRID_WORKER, city.grids["a1_west"].code)
    client.force_login(colleague)
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/").status_code == 404


@pytest.mark.django_db
def test_other_community_secretary_gets_404(client: Any, city: Any, patrol: Any) -> None:
    other = make_user("secretary_b", Role.SECRETARY, city.comm_b1.code)
    client.force_login(other)
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action="track_view").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "resident", "department"])
def test_roles_without_tracks_are_refused(client: Any, users: Any, patrol: Any, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/").status_code == 403
