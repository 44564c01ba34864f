"""What grid teams plug into the apps below them (registered from GridTeamsConfig.ready):
the case page's team panel and dispatch candidates (cases.hooks), the grids a department
member of a team reads on the map (geo.hooks) and the community page's section (portal)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from civicgrid.accounts.choices import Role
from civicgrid.participation.teams import selectors
from civicgrid.participation.teams.presenters import present_member_public, present_team


def case_panel(case: Any, user: Any) -> dict[str, Any] | None:
    """The team of the case's grid for staff who see the case (residents never get it)."""
    if case.grid_id is None:
        return None
    if getattr(user, "role", None) == Role.RESIDENT and not user.is_superuser:
        return None
    team = present_team(selectors.team_of(case.grid))
    if not team["workers"] and not team["members"]:
        return None
    readable = selectors.team_grids(user).filter(pk=case.grid_id).exists()
    return {
        "team": team,
        "url": reverse("gridteams:team_detail", args=[case.grid_id]) if readable else "",
    }


def dispatch_candidates(case: Any) -> list[Any]:
    if not case.grid_code or len(case.grid_code) != 15:
        return []
    return selectors.department_candidates(case.grid_code)


def map_grant(user: Any) -> list[str]:
    """A department handler reads on the map the grids whose team they belong to."""
    if getattr(user, "role", None) != Role.DEPARTMENT:
        return []
    return selectors.member_grid_codes(user)


def portal_context(community: Any) -> dict[str, Any] | None:
    from civicgrid.geo.models import Grid
    from civicgrid.participation.teams.models import TeamMember

    members = (
        TeamMember.objects.current()
        .filter(grid_code__startswith=community.code, public=True)
        .select_related("user__department", "grid")
        .order_by("grid_code", "kind", "role", "pk")
    )
    grids: dict[str, dict[str, Any]] = {}
    for member in members[:300]:
        shown = present_member_public(member)
        if shown is None:
            continue
        entry = grids.setdefault(member.grid_code, {"name": member.grid.name, "members": []})
        entry["members"].append(shown)
    if not grids:
        return None
    current = set(
        Grid.objects.current().filter(code__in=list(grids)).values_list("code", flat=True)
    )
    return {"grids": [grids[c] for c in sorted(grids) if c in current]}


# Registered as "teams-after-registry": relocators run sorted by name, and links follow their
# households, which the "registry" relocator has moved by then.
RELOCATOR_NAME = "teams-after-registry"


def relocate(old: Any, new: Any) -> int:
    """After a grid split or merge: links and contacts follow their households, party members
    follow their person (a staff account goes to the first new grid), and each team member of
    a retired grid leaves it and joins every new grid's team, until the desk adjusts the teams
    (leaving keeps the record, docs/architecture.md rule 4)."""
    from django.utils import timezone

    from civicgrid.participation.teams.models import (
        HouseholdLink,
        PartyContact,
        PartyMember,
        TeamMember,
    )

    if not old or not new:
        return 0
    old_codes = [g.code for g in old]
    new_grids = sorted(new, key=lambda g: g.code)
    moved = 0
    for link in HouseholdLink.objects.filter(grid_code__in=old_codes).select_related("household"):
        code = link.household.grid_code
        if code != link.grid_code:
            moved += HouseholdLink.objects.filter(pk=link.pk).update(grid_code=code)
            PartyContact.objects.filter(link=link).update(grid_code=code)
    for member in PartyMember.objects.filter(grid_code__in=old_codes).select_related(
        "person__grid"
    ):
        grid = member.person.grid if member.person is not None else new_grids[0]
        if grid.code in old_codes:
            grid = new_grids[0]
        moved += PartyMember.objects.filter(pk=member.pk).update(grid=grid, grid_code=grid.code)
    today = timezone.localdate()
    for member in TeamMember.objects.current().filter(grid_code__in=old_codes):
        for grid in new_grids:
            TeamMember.objects.create(
                grid=grid,
                kind=member.kind,
                role=member.role,
                user_id=member.user_id,
                person_id=member.person_id,
                name=member.name,
                work_phone=member.work_phone,
                public=member.public,
                since=today,
                created_by_id=member.created_by_id,
            )
        TeamMember.objects.filter(pk=member.pk).update(until=today)
        moved += 1
    return moved
