"""Reads of grid teams and party members' links, all through ``visible_to`` / ``access_*``
(docs/architecture.md "One way in")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import access_object
from civicgrid.geo.codes import ancestor_codes
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import grid_workers
from civicgrid.participation.teams.choices import MemberKind
from civicgrid.participation.teams.models import (
    HouseholdLink,
    PartyContact,
    PartyMember,
    TeamMember,
)
from civicgrid.registry.models import Household


def _is_department(user: Any) -> bool:
    return getattr(user, "role", None) == Role.DEPARTMENT and not user.is_superuser


def member_grid_codes(user: Any) -> list[str]:
    """Grids whose team ``user`` is a current member of (department handlers' only way to a
    team and, through geo.hooks, to the grid's outline on the map)."""
    if user is None or not user.is_authenticated:
        return []
    return sorted(
        set(
            TeamMember.objects.current()
            .filter(user_id=user.pk, kind=MemberKind.DEPARTMENT)
            .values_list("grid_code", flat=True)
        )
    )


def team_grids(user: Any, *, q: str = "") -> QuerySet[Grid]:
    """Current grids whose team ``user`` may read: the grids of their jurisdiction, for a
    department handler the grids whose team they belong to."""
    if _is_department(user):
        grids = Grid.objects.filter(code__in=member_grid_codes(user))
    else:
        grids = Grid.objects.visible_to(user) if user.reads("ledgers") else Grid.objects.none()
    grids = grids.current().select_related("community")
    if q:
        grids = grids.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return grids.annotate(
        member_count=Count(
            "teammember",
            filter=Q(teammember__until__isnull=True)
            | Q(teammember__until__gt=timezone.localdate()),
        )
    ).order_by("code")


def access_team_grid(user: Any, pk: Any) -> Grid:
    """The grid whose team page is asked for: 404 outside what ``team_grids`` gives."""
    try:
        return team_grids(user).get(pk=int(pk))
    except (Grid.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def team_members(grid: Grid, *, include_past: bool = False) -> QuerySet[TeamMember]:
    rows = (
        TeamMember.objects.filter(grid=grid)
        .select_related("user__department")
        .order_by("-kind", "role", "pk")  # department staff first, then community people
    )
    return rows if include_past else rows.current()


def team_of(grid: Grid, *, include_past: bool = False) -> dict[str, Any]:
    """The grid worker(s) from their accounts' scopes, shown not copied, and the members."""
    return {
        "grid": grid,
        "workers": grid_workers([grid.code])[grid.code],
        "members": list(team_members(grid, include_past=include_past)),
    }


def access_member(user: Any, pk: Any, *, for_write: bool = False) -> TeamMember:
    member = access_object(TeamMember.objects.select_related("grid"), user, pk, for_write=for_write)
    return member


def department_candidates(grid_code: str) -> list[Any]:
    """Department accounts of the grid's team (current, active): proposed at dispatch."""
    rows = (
        TeamMember.objects.current()
        .filter(grid_code=grid_code, kind=MemberKind.DEPARTMENT, user__is_active=True)
        .select_related("user__department")
    )
    return [row.user for row in rows if row.user is not None]


# --- party members -------------------------------------------------------------------------


def party_members(user: Any, *, grid: str = "") -> QuerySet[PartyMember]:
    rows = PartyMember.objects.visible_to(user).current().select_related("grid")
    if grid:
        rows = rows.filter(grid_code__startswith=grid)
    return rows.annotate(
        link_count=Count(
            "links",
            filter=Q(links__until__isnull=True) | Q(links__until__gt=timezone.localdate()),
        )
    ).order_by("grid_code", "name", "pk")


def access_party_member(user: Any, pk: Any, *, for_write: bool = False) -> PartyMember:
    return access_object(PartyMember.objects.select_related("grid"), user, pk, for_write=for_write)


def access_link(user: Any, pk: Any, *, for_write: bool = False) -> HouseholdLink:
    return access_object(
        HouseholdLink.objects.select_related("party_member", "household"),
        user,
        pk,
        for_write=for_write,
    )


def member_links(party_member: PartyMember) -> QuerySet[HouseholdLink]:
    return (
        HouseholdLink.objects.current()
        .filter(party_member=party_member)
        .select_related("household__head", "household__dwelling__building")
    )


def member_contacts(party_member: PartyMember, limit: int = 50) -> list[PartyContact]:
    return list(
        PartyContact.objects.filter(link__party_member=party_member).select_related("household")[
            :limit
        ]
    )


@dataclass
class Coverage:
    days: int
    code: str
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    uncovered: QuerySet[Household]


def coverage(user: Any, *, code: str = "", days: int) -> Coverage:
    """Households of ``user``'s jurisdiction (under ``code``) with / without a current party
    member link and with / without a contact in the last ``days`` days: counts per grid (one
    grouped query) and the households missing either, as a queryset to page through."""
    since = timezone.localdate() - timedelta(days=days)
    today = timezone.localdate()
    households = Household.objects.visible_to(user).current()
    if code:
        households = households.filter(grid_code__startswith=code)
    linked = HouseholdLink.objects.filter(household=OuterRef("pk")).filter(
        Q(until__isnull=True) | Q(until__gt=today)
    )
    contacted = PartyContact.objects.filter(household=OuterRef("pk"), contacted_on__gte=since)
    households = households.annotate(linked=Exists(linked), contacted=Exists(contacted))
    per_grid = (
        households.values("grid_code", "grid__name")
        .annotate(
            total=Count("pk"),
            with_link=Count("pk", filter=Q(linked=True)),
            with_contact=Count("pk", filter=Q(contacted=True)),
        )
        .order_by("grid_code")
    )
    rows = []
    totals = {
        "total": 0,
        "with_link": 0,
        "without_link": 0,
        "with_contact": 0,
        "without_contact": 0,
    }
    for row in per_grid:
        item = {
            "grid_code": row["grid_code"],
            "grid_name": row["grid__name"],
            "total": row["total"],
            "with_link": row["with_link"],
            "without_link": row["total"] - row["with_link"],
            "with_contact": row["with_contact"],
            "without_contact": row["total"] - row["with_contact"],
        }
        rows.append(item)
        for key in totals:
            totals[key] += item[key]
    uncovered = (
        households.filter(Q(linked=False) | Q(contacted=False))
        .select_related("head", "dwelling__building", "grid")
        .order_by("grid_code", "number", "pk")
    )
    return Coverage(days=days, code=code, rows=rows, totals=totals, uncovered=uncovered)


def department_accounts_for(grid: Grid) -> list[Any]:
    """Department accounts that may join ``grid``'s team: active handlers of current
    departments serving the grid's place (region code a prefix of the grid code)."""
    from civicgrid.accounts.models import User

    return list(
        User.objects.filter(
            role=Role.DEPARTMENT,
            is_active=True,
            department__retired_on__isnull=True,
            department__region_code__in=ancestor_codes(grid.code),
        )
        .select_related("department")
        .order_by("department__name", "full_name", "pk")[:300]
    )
