"""Team pages and operations follow the jurisdiction: an outsider gets 404 like a missing
team, a grid worker sees their own grid's team with phones to call."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_outsider_gets_404_for_a_team_of_another_street(team: dict[str, Any], users: Any) -> None:
    grid = team["grid"]
    assert _client(users.outsider).get(f"/teams/{grid.pk}/").status_code == 404
    assert (
        _client(users.outsider).get(f"/api/v1/participation/teams/grids/{grid.pk}").status_code
        == 404
    )
    listing = _client(users.outsider).get("/api/v1/participation/teams/grids").json()
    assert [g["code"] for g in listing] == [users.outsider.scope_codes[0]]


def test_outsider_cannot_retire_a_member_elsewhere(team: dict[str, Any], users: Any) -> None:
    police = team["police"]
    response = _client(users.outsider).post(f"/teams/members/{police.pk}/leave/")
    assert response.status_code == 403  # grid workers do not manage teams at all
    other_street = _client(users.command)
    users.command.scopes.update(code="520102002")
    response = other_street.post(
        f"/api/v1/participation/teams/members/{police.pk}/leave",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 404
    police.refresh_from_db()
    assert police.until is None


def test_grid_worker_sees_own_team_with_phones(team: dict[str, Any], users: Any) -> None:
    page = _client(users.worker).get(f"/teams/{team['grid'].pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "赵楼长" in body and 'href="tel:13900001111"' in body
    assert 'href="tel:085186001110"' in body
