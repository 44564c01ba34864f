"""Every target of a party member's link is checked: a household of another community or out
of scope is refused; a person who is not a party member cannot be registered; an outsider
gets 404 for the party member."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.participation.teams import services
from civicgrid.participation.teams.choices import TeamRole
from civicgrid.participation.teams.testing import make_party_member
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)

pytestmark = pytest.mark.django_db


def test_household_of_another_community_is_refused(city: Any, users: Any) -> None:
    member = make_party_member(city.grids["a1_west"], by=users.command)
    elsewhere = make_household(make_dwelling(make_building(city.grids["a2"])))
    with pytest.raises(ValidationError, match="只能联系本社区的住户"):
        services.household_link(actor=users.command, party_member=member, household=elsewhere)
    outside = make_household(make_dwelling(make_building(city.grids["b1"])))
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.household_link(actor=users.command, party_member=member, household=outside)


def test_not_a_party_member_is_refused(city: Any, users: Any) -> None:
    person = make_person(city.grids["a1_west"], name="周群众")
    with pytest.raises(ValidationError, match="不是党员"):
        services.party_member_add(actor=users.secretary, person=person)


def test_outsider_gets_404(city: Any, users: Any) -> None:
    member = make_party_member(city.grids["a1_west"], by=users.secretary)
    client = Client()
    client.force_login(users.outsider)
    assert client.get(f"/teams/party/{member.pk}/").status_code == 404
    assert client.get(f"/api/v1/participation/teams/party-members/{member.pk}").status_code == 404


def test_department_account_must_serve_the_grid(city: Any, users: Any) -> None:
    from civicgrid.accounts.choices import Role
    from civicgrid.accounts.models import Department
    from civicgrid.testing.users import make_user

    far = Department.objects.create(code="far", name="外区城管", region_code="520103")
    stranger = make_user("stranger", Role.DEPARTMENT, department=far)
    with pytest.raises(ValidationError, match="不负责该网格所在区域"):
        services.team_member_add(
            actor=users.secretary, grid=city.grids["a1_west"], role=TeamRole.URBAN, user=stranger
        )
    with pytest.raises(ValidationError, match="网格不存在"):
        services.team_member_add(
            actor=users.secretary, grid=city.grids["b1"], role=TeamRole.OTHER, name="某人"
        )
