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
