"""What each audience sees of grid teams and party members' links (docs/architecture.md
"Output is decided once"): pages, API, exports and the portal all go through here.

Staff see names, roles and work phones. The public (the community page) sees only members
flagged public: department staff by name, role and work phone; community people by role and
masked name, never a phone, never anything from the ledger."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core.pii import mask_name
from civicgrid.participation.teams.choices import MemberKind
from civicgrid.participation.teams.models import (
    HouseholdLink,
    PartyContact,
    PartyMember,
    TeamMember,
)
from civicgrid.registry.presenters import present_household


def _current(row: Any) -> bool:
    return row.until is None or row.until > timezone.localdate()


def present_worker(user: Any) -> dict[str, Any]:
    """A grid worker of the team, from their account (staff audience)."""
    return {
        "id": user.pk,
        "name": user.full_name or user.username,
        "role": "gridworker",
        "role_display": _("网格员"),
        "work_phone": user.phone or "",
    }


def present_member(member: TeamMember) -> dict[str, Any]:
    """A team member for staff."""
    department = member.user.department if member.user_id and member.user else None
    return {
        "id": member.pk,
        "grid_code": member.grid_code,
        "kind": member.kind,
        "kind_display": member.get_kind_display(),
        "role": member.role,
        "role_display": member.get_role_display(),
        "name": member.name,
        "department": department.name if department is not None else "",
        "user_id": member.user_id,
        "person_id": member.person_id,
        "work_phone": member.work_phone,
        "public": member.public,
        "since": member.since,
        "until": member.until,
        "current": _current(member),
    }


def present_member_public(member: TeamMember) -> dict[str, Any] | None:
    """A team member for the community page; None when not to be shown."""
    if not member.public or not _current(member):
        return None
    if member.kind == MemberKind.DEPARTMENT:
        department = member.user.department if member.user_id and member.user else None
        return {
            "role_display": str(member.get_role_display()),
            "name": member.name,
            "department": department.name if department is not None else "",
            "work_phone": member.work_phone,
        }
    return {
        "role_display": str(member.get_role_display()),
        "name": mask_name(member.name),
        "department": "",
        "work_phone": "",
    }


def present_team(team: dict[str, Any]) -> dict[str, Any]:
    grid = team["grid"]
    return {
        "grid": {"id": grid.pk, "code": grid.code, "name": grid.name},
        "workers": [present_worker(u) for u in team["workers"]],
        "members": [present_member(m) for m in team["members"]],
    }


def present_party_member(row: PartyMember) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "grid_code": row.grid_code,
        "grid_name": row.grid.name,
        "branch": row.branch,
        "is_staff_account": row.user_id is not None,
        "since": row.since,
        "link_count": getattr(row, "link_count", None),
    }


def present_link(link: HouseholdLink, *, user: Any) -> dict[str, Any]:
    household = present_household(link.household, user=user)
    return {
        "id": link.pk,
        "party_member_id": link.party_member_id,
        "household": {
            "id": household["pk"],
            "label": household["label"],
            "head_name": household["head_name"],
            "building": household["building"]["label"] if household["building"] else "",
            "grid_code": household["grid_code"],
        },
        "since": link.since,
        "until": link.until,
    }


def present_contact(contact: PartyContact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "link_id": contact.link_id,
        "household_id": contact.household_id,
        "contacted_on": contact.contacted_on,
        "way": contact.way,
        "way_display": contact.get_way_display(),
        "note": contact.note,
        "issues": contact.issues,
        "case_number": contact.case.number if contact.case_id and contact.case else "",
    }


def present_uncovered(household: Any, *, user: Any) -> dict[str, Any]:
    """A household on the coverage list, as the ledger presenter shows it (head's name only)."""
    data = present_household(household, user=user)
    return {
        "id": data["pk"],
        "grid_code": data["grid_code"],
        "label": data["label"],
        "head_name": data["head_name"],
        "building": data["building"]["label"] if data["building"] else "",
        "linked": bool(getattr(household, "linked", False)),
        "contacted": bool(getattr(household, "contacted", False)),
    }
