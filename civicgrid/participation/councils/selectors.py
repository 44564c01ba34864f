"""Reads of councils and proposals, through the policy (docs/architecture.md "One way in"):
staff lists start from ``visible_to``; single objects come from ``access_*`` (404 when out of
scope, as if missing). Residents read the proposals of their own community only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.core.scoping import access_object
from civicgrid.participation.councils.choices import FollowUp, MeetingStatus
from civicgrid.participation.councils.models import (
    AgendaItem,
    Council,
    Meeting,
    Proposal,
    Resolution,
)
from civicgrid.participation.councils.services import resident_community

MAX_PK = 2**63 - 1


def _pk(pk: Any) -> int:
    """A primary key the database can hold, else 404 (a huge number reads as missing)."""
    try:
        number = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 0 < number <= MAX_PK:
        raise Http404
    return number


def councils_for(user: Any) -> QuerySet[Council]:
    return Council.objects.visible_to(user).filter(retired_on__isnull=True)


def access_council(user: Any, pk: Any) -> Council:
    return access_object(Council.objects.all(), user, _pk(pk))


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("council").order_by("-held_at", "-id")


def access_meeting(user: Any, pk: Any) -> Meeting:
    return access_object(Meeting.objects.select_related("council"), user, _pk(pk))


def access_item(user: Any, pk: Any) -> AgendaItem:
    return access_object(AgendaItem.objects.select_related("meeting__council"), user, _pk(pk))


def open_resolutions(user: Any) -> QuerySet[Resolution]:
    return (
        Resolution.objects.visible_to(user)
        .filter(status=FollowUp.IN_PROGRESS)
        .select_related("item")
        .order_by("due_on", "id")
    )


def access_resolution(user: Any, pk: Any) -> Resolution:
    return access_object(Resolution.objects.select_related("item__meeting"), user, _pk(pk))


def proposals_for(user: Any) -> QuerySet[Proposal]:
    """A resident: the proposals of their community; staff: those of their jurisdiction."""
    if user.is_authenticated and user.role == Role.RESIDENT and not user.is_superuser:
        code = resident_community(user)
        if not code:
            return Proposal.objects.none()
        found = Proposal.objects.filter(community_code=code)
    else:
        found = Proposal.objects.visible_to(user)
    return found.prefetch_related("agenda_items__resolution").order_by("-created_at", "-id")


def access_proposal(user: Any, pk: Any) -> Proposal:
    try:
        return proposals_for(user).select_related("proposer").get(pk=_pk(pk))
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- public (the portal section) ---------------------------------------------------------------


def public_recent_resolutions(code: str, limit: int = 5) -> QuerySet[Resolution]:
    return (
        Resolution.objects.filter(community_code=code)
        .select_related("item__case__category", "item__proposal", "item__meeting")
        .order_by("-resolved_at", "-id")[:limit]
    )


def public_upcoming_meetings(code: str, limit: int = 3) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            community_code=code,
            held_at__gte=timezone.now(),
            status__in=(MeetingStatus.DRAFT, MeetingStatus.CONVENED),
        )
        .prefetch_related("items__case__category", "items__proposal")
        .order_by("held_at", "id")[:limit]
    )


def case_resolutions(case: Any) -> list[Resolution]:
    """The council resolutions on ``case``, newest first. Only for a caller that already
    fetched the case through ``access_case`` (the case page's panel)."""
    return list(
        Resolution.objects.filter(item__case_id=case.pk).order_by("-resolved_at", "-id")[:10]
    )
