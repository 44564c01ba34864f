"""Grid teams and party members' links for tests and for the permission matrix's world."""

from __future__ import annotations

from typing import Any

from civicgrid.participation.teams import services
from civicgrid.participation.teams.choices import TeamRole
from civicgrid.participation.teams.models import HouseholdLink, PartyMember, TeamMember


def add_department_member(
    grid: Any, account: Any, *, by: Any, role: str = TeamRole.POLICE, public: bool = True
) -> TeamMember:
    return services.team_member_add(
        actor=by, grid=grid, role=role, user=account, work_phone="0851-86001110", public=public
    )


def add_community_member(
    grid: Any, name: str, *, by: Any, role: str = TeamRole.BUILDING_HEAD, **extra: Any
) -> TeamMember:
    extra.setdefault("work_phone", "13900001111")
    extra.setdefault("public", True)
    return services.team_member_add(actor=by, grid=grid, role=role, name=name, **extra)


def make_party_member(
    grid: Any, *, by: Any, name: str = "李党员", household: Any = None
) -> PartyMember:
    from civicgrid.registry.choices import PoliticalStatus
    from civicgrid.registry.tests.factories import make_person

    person = make_person(
        grid, name=name, political_status=PoliticalStatus.PARTY_MEMBER, household=household
    )
    return services.party_member_add(actor=by, person=person, branch="第一党支部")


def world_team_member(w: Any) -> TeamMember:
    """The world's department account in the team of grid a1_west."""
    if "team_member" not in w.objects:
        w.objects["team_member"] = add_department_member(
            w.objects["grid"], w.users.department, by=w.users.command
        )
    return w.objects["team_member"]


def world_party_member(w: Any) -> PartyMember:
    if "party_member" not in w.objects:
        w.objects["party_member"] = make_party_member(w.objects["grid"], by=w.users.secretary)
    return w.objects["party_member"]


def world_link(w: Any) -> HouseholdLink:
    if "party_link" not in w.objects:
        w.objects["party_link"] = services.household_link(
            actor=w.users.secretary,
            party_member=world_party_member(w),
            household=w.objects["household"],
        )
    return w.objects["party_link"]
