"""What each audience sees of councils and proposals (ARCHITECTURE rule 7, docs/architecture.md
"议事会").

The public (the community portal, the disclosure) gets dates, places, agenda titles and
resolutions: a case item is named by its category only (not its number or description), a
proposal by its title; no member or resident names. Residents see proposals of their community
without the proposer's name (only whether it is their own). Staff of the community see the
working detail. Values are plain text that templates escape."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from civicgrid.participation.councils.choices import FollowUp, ItemKind
from civicgrid.participation.councils.models import (
    AgendaItem,
    Council,
    CouncilMember,
    Meeting,
    Proposal,
    Resolution,
)
from civicgrid.participation.councils.services import Tally


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def public_item_title(item: AgendaItem) -> str:
    if item.kind == ItemKind.CASE and item.case is not None:
        return str(item.case.category.name)
    return item.proposal.title if item.proposal is not None else item.title


def present_member(member: CouncilMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.name,
        "role": member.role,
        "role_label": str(member.get_role_display()),
        "has_account": member.user_id is not None,
        "joined_on": member.joined_on.isoformat(),
        "left_on": member.left_on.isoformat() if member.left_on else None,
    }


def present_council(council: Council) -> dict[str, Any]:
    return {
        "id": council.pk,
        "name": council.name,
        "community_code": council.community_code,
        "quorum_ratio": str(council.quorum_ratio),
        "pass_ratio": str(council.pass_ratio),
        "pass_base": council.pass_base,
        "pass_base_label": str(council.get_pass_base_display()),
        "support_threshold": council.support_threshold,
        "url": reverse("councils:council", args=[council.pk]),
    }


def present_tally(result: Tally) -> dict[str, Any]:
    return {
        "members": result.members,
        "present": result.present,
        "for": result.votes_for,
        "against": result.votes_against,
        "abstain": result.votes_abstain,
        "cast": result.cast,
        "quorum": result.quorum,
        "passed": result.passed,
    }


def present_resolution(resolution: Resolution) -> dict[str, Any]:
    return {
        "id": resolution.pk,
        "item_id": resolution.item_id,
        "item": resolution.item.title,
        "decision": resolution.decision,
        "decision_label": str(resolution.get_decision_display()),
        "text": resolution.text,
        "votes": {
            "for": resolution.votes_for,
            "against": resolution.votes_against,
            "abstain": resolution.votes_abstain,
        },
        "responsible": resolution.responsible,
        "due_on": resolution.due_on.isoformat(),
        "status": resolution.status,
        "status_label": str(resolution.get_status_display()),
        "resolved_at": _local(resolution.resolved_at),
        "url": reverse("councils:resolution", args=[resolution.pk]),
    }


def present_case_resolution(resolution: Resolution, *, staff: bool) -> dict[str, Any]:
    """A resolution as the case page shows it: staff get who follows it up and the link to
    the resolution; the resident who reported the case gets the decision, the date and the
    progress only."""
    done = resolution.status == FollowUp.DONE
    return {
        "decision_label": str(resolution.get_decision_display()),
        "text": resolution.text,
        "responsible": resolution.responsible if staff else "",
        "due_on": resolution.due_on.isoformat(),
        "overdue": not done and resolution.due_on < timezone.localdate(),
        "status_label": str(resolution.get_status_display()),
        "resolved_on": timezone.localtime(resolution.resolved_at).date().isoformat(),
        "url": reverse("councils:resolution", args=[resolution.pk]) if staff else "",
    }


def present_item(item: AgendaItem, result: Tally | None = None) -> dict[str, Any]:
    resolution = getattr(item, "resolution", None)
    return {
        "id": item.pk,
        "order": item.order,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "title": item.title,
        "case_id": item.case_id,
        "case_url": reverse("cases:detail", args=[item.case_id]) if item.case_id else "",
        "proposal_id": item.proposal_id,
        "proposal_url": reverse("councils:proposal", args=[item.proposal_id])
        if item.proposal_id
        else "",
        "discussion": item.discussion,
        "tally": present_tally(result) if result is not None else None,
        "resolution": present_resolution(resolution) if resolution is not None else None,
    }


def present_meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "council_id": meeting.council_id,
        "council": meeting.council.name,
        "community_code": meeting.community_code,
        "held_at": _local(meeting.held_at),
        "place": meeting.place,
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "url": reverse("councils:meeting", args=[meeting.pk]),
        "early_close_reason": meeting.early_close_reason,
        # When it really opened and closed: a meeting closed early was not held at held_at.
        "convened_at": _local(meeting.convened_at),
        "closed_at": _local(meeting.closed_at),
    }


def present_meeting_public(meeting: Meeting) -> dict[str, Any]:
    return {
        "held_at": _local(meeting.held_at),
        "place": meeting.place,
        "agenda": [public_item_title(i) for i in meeting.items.all()],
    }


def present_resolution_public(resolution: Resolution) -> dict[str, Any]:
    return {
        "date": timezone.localtime(resolution.resolved_at).date().isoformat(),
        "item": public_item_title(resolution.item),
        "decision_label": str(resolution.get_decision_display()),
        "text": resolution.text,
        "status_label": str(resolution.get_status_display()),
        "due_on": resolution.due_on.isoformat(),
    }


def present_proposal(proposal: Proposal, viewer: Any, *, supported: bool = False) -> dict[str, Any]:
    """For residents of the community and its staff. Residents never see who proposed it
    (only whether it is their own); staff see the proposer's account name."""
    staff = viewer.is_superuser or viewer.role != "resident"
    outcome = _proposal_outcome(proposal)
    return {
        "id": proposal.pk,
        "community_code": proposal.community_code,
        "title": proposal.title,
        "description": proposal.description,
        "address": proposal.address,
        "lat": proposal.lat,
        "lng": proposal.lng,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "support_count": proposal.support_count,
        "created_at": _local(proposal.created_at),
        "mine": proposal.proposer_id == viewer.pk,
        "supported": supported,
        "proposer": str(proposal.proposer) if staff else "",
        "decline_reason": proposal.decline_reason,
        "resolution": outcome,
        "url": reverse("councils:proposal", args=[proposal.pk]),
    }


def _proposal_outcome(proposal: Proposal) -> dict[str, Any] | None:
    # Read through the agenda items (lists prefetch "agenda_items__resolution"): one query
    # per page, not one per proposal.
    if proposal.status not in ("resolved", "declined"):
        return None
    found = [item.resolution for item in proposal.agenda_items.all() if hasattr(item, "resolution")]
    if not found:
        return None
    resolution = max(found, key=lambda r: r.resolved_at)
    return {
        "decision_label": str(resolution.get_decision_display()),
        "text": resolution.text,
        "date": timezone.localtime(resolution.resolved_at).date().isoformat(),
        "status_label": str(resolution.get_status_display()),
    }
