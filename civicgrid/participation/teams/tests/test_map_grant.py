"""A department member of a team reads that team's grid on the map, and nothing more; the
meaning of jurisdiction for everything else is unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from civicgrid.cases.models import Case
from civicgrid.geo.hooks import extra_map_codes
from civicgrid.geo.models import Grid
from civicgrid.registry.models import Household

pytestmark = pytest.mark.django_db


def test_department_member_gets_exactly_the_team_grid(team: dict[str, Any], users: Any) -> None:
    assert extra_map_codes(users.department) == [team["grid"].code]
    # Jurisdiction stays what it was: no grid, ledger or case through visible_to.
    assert not Grid.objects.visible_to(users.department).exists()
    assert not Household.objects.visible_to(users.department).exists()
    assert users.department.scope_codes == []
    assert (
        not Case.objects.visible_to(users.department).filter(grid_code=team["grid"].code).exists()
    )


def test_leaving_the_team_ends_the_grant(team: dict[str, Any], users: Any) -> None:
    from civicgrid.participation.teams.services import team_member_leave

    team_member_leave(actor=users.secretary, member=team["police"])
    assert extra_map_codes(users.department) == []


def test_no_grant_for_other_roles_or_anonymous(team: dict[str, Any], users: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert extra_map_codes(users.outsider) == []
    assert extra_map_codes(users.resident) == []
    assert extra_map_codes(AnonymousUser()) == []


def test_the_map_draws_the_team_grid_for_the_department_member(
    team: dict[str, Any], users: Any, client: Any
) -> None:
    client.force_login(users.department)
    page = client.get("/geo/map/")
    assert page.status_code == 200
    # Outline only: no grid card, no coverage problems for a department member.
    assert "data-card-url" not in page.content.decode()
    codes = [
        f["properties"]["code"] for f in client.get("/api/v1/geo/grids.geojson").json()["features"]
    ]
    assert codes == [team["grid"].code]
    assert client.get(f"/geo/grids/{team['grid'].pk}/").status_code in (403, 404)
