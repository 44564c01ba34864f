"""Reads for joint meetings: the meetings a user sees, and the candidate cases (cases the
departments keep passing back) of a convener's jurisdiction. Lists start from ``visible_to``
(docs/architecture.md "One way in")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from civicgrid.cases.choices import OPEN_STATUSES, Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.participation.joint.choices import MeetingStatus
from civicgrid.participation.joint.models import AgendaItem, JointMeeting


def meetings_for(user: Any, *, status: str = "") -> QuerySet[JointMeeting]:
    found = JointMeeting.objects.visible_to(user).select_related("convener")
    if status:
        found = found.filter(status=status)
    return found.annotate(case_count=Count("items", distinct=True)).order_by("-starts_at", "-pk")


def _count(events: QuerySet[CaseEvent], expression: Any) -> Subquery:
    return Subquery(
        events.order_by().values("case_id").annotate(n=expression).values("n")[:1],
        output_field=IntegerField(),
    )


def candidates_for(user: Any, *, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases of ``user``'s jurisdiction that call for a joint meeting, most bounced first:

    - owned by two or more departments (dispatched to each), or
    - returned (回退) by departments more than once, or
    - returned once and still waiting for dispatch after the dispatch time limit passed (the
      command centre has not found a department that keeps it).

    Each row carries ``return_count``, ``department_count`` and ``on_open_agenda`` (already on
    the agenda of a meeting not yet closed)."""
    now = now or timezone.now()
    per_case = CaseEvent.objects.filter(case_id=OuterRef("pk"))
    returns = _count(per_case.filter(action=Action.RETURN), Count("pk"))
    departments = _count(
        per_case.filter(to_department__isnull=False), Count("to_department", distinct=True)
    )
    agenda = AgendaItem.objects.filter(case_id=OuterRef("pk")).exclude(
        meeting__status=MeetingStatus.CLOSED
    )
    return (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .annotate(
            return_count=Coalesce(returns, Value(0)),
            department_count=Coalesce(departments, Value(0)),
            on_open_agenda=Exists(agenda),
        )
        .filter(
            Q(department_count__gte=2)
            | Q(return_count__gte=2)
            | Q(return_count__gte=1, status=CaseStatus.TO_DISPATCH, stage_due_at__lt=now)
        )
        .select_related("category", "department", "grid")
        .order_by("-return_count", "-department_count", "reported_at", "pk")
    )


@dataclass
class History:
    """What departments did with a case: who had it, in order, and each return with its reason."""

    departments: list[str] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)


def histories(case_ids: list[int]) -> dict[int, History]:
    """The dispatch/return history of a page of cases, in one query."""
    found: dict[int, History] = defaultdict(History)
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids, action__in=[Action.DISPATCH, Action.RETURN])
        .select_related("to_department", "actor_department")
        .order_by("at", "pk")
    )
    for event in events:
        history = found[event.case_id]
        if event.action == Action.DISPATCH and event.to_department is not None:
            name = event.to_department.name
            if name not in history.departments:
                history.departments.append(name)
        elif event.action == Action.RETURN:
            history.returns.append(
                {
                    "at": event.at,
                    "department": event.actor_department.name if event.actor_department else "",
                    "reason": event.note,
                }
            )
    return found


def meeting_items(meeting: JointMeeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related(
            "case", "case__category", "case__department", "lead_department", "applied_event"
        ).prefetch_related("assist_departments")
    )
