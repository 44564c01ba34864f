"""When grids are merged, the team and the party links follow: members of the retired grids
leave them (record kept) and join the new grid's team; links and party members move with
their households and persons."""

from __future__ import annotations

from typing import Any

import pytest

from civicgrid.geo.services import grid_merge
from civicgrid.participation.teams import services
from civicgrid.participation.teams.models import HouseholdLink, PartyMember, TeamMember
from civicgrid.participation.teams.testing import make_party_member
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household

pytestmark = pytest.mark.django_db


def test_merge_moves_team_and_links(team: dict[str, Any], city: Any, users: Any) -> None:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    household = make_household(make_dwelling(make_building(west)))
    member = make_party_member(west, by=users.secretary)
    link = services.household_link(actor=users.secretary, party_member=member, household=household)
    merged = grid_merge(grids=[east, west], actor=users.command, name="甲一合并网格")
    police = TeamMember.objects.get(pk=team["police"].pk)
    assert police.until is not None  # left the retired grid, record kept
    assert TeamMember.objects.current().filter(grid=merged, user=users.department).exists()
    assert HouseholdLink.objects.get(pk=link.pk).grid_code == merged.code
    assert PartyMember.objects.get(pk=member.pk).grid_code == merged.code
