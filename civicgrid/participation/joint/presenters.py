"""What each audience sees of a joint meeting (docs/architecture.md rule 7), for the pages,
the API, the print and the notifications alike:

- the convener (command centre): everything, with links to the cases;
- an invited department: the meeting, the agenda (case number, category, summary, status) and,
  once the meeting is closed and so published, the decisions and the minutes.

No personal data of anyone is shown: cases appear through ``cases.presenters.present_row``'s
fields only (no reporter), people by their names as staff."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.participation.joint.choices import MeetingStatus
from civicgrid.participation.joint.models import AgendaItem, JointMeeting
from civicgrid.participation.joint.selectors import History
from civicgrid.participation.joint.services import may_convene

CONVENER = "convener"
DEPARTMENT = "department"


def audience_for(user: Any) -> str:
    return CONVENER if may_convene(user) else DEPARTMENT


def _case(case: Case, *, audience: str) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "category_name": case.category.name,
        "summary": case.description[:80],
        "status": case.status,
        "status_label": case.get_status_display(),
        "department": case.department.name if case.department else "",
        "grid_code": case.grid_code,
        "url": reverse("cases:detail", args=[case.pk]) if audience == CONVENER else "",
    }


def present_meeting_row(meeting: JointMeeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "region_code": meeting.region_code,
        "status": meeting.status,
        "status_label": meeting.get_status_display(),
        "convener": str(meeting.convener),
        "case_count": getattr(meeting, "case_count", None),
        "url": reverse("jointmeetings:detail", args=[meeting.pk]),
    }


def present_item(item: AgendaItem, *, audience: str, published: bool) -> dict[str, Any]:
    shows_decision = audience == CONVENER or published
    decided = shows_decision and item.decided_at is not None
    return {
        "id": item.pk,
        "case": _case(item.case, audience=audience),
        "decided": decided,
        "lead_department": item.lead_department.name if decided and item.lead_department else "",
        "lead_department_id": item.lead_department_id if decided else None,
        "assist_departments": [d.name for d in item.assist_departments.all()] if decided else [],
        "assist_department_ids": [d.pk for d in item.assist_departments.all()] if decided else [],
        "due_days": item.due_days if decided else None,
        "note": item.decision_note if decided else "",
        "decided_at": item.decided_at if decided else None,
        "applied": decided and item.applied_at is not None,
        "applied_at": item.applied_at if decided else None,
        "applied_deadline": item.applied_event.next_deadline
        if decided and item.applied_event
        else None,
    }


def present_meeting(
    meeting: JointMeeting,
    *,
    audience: str,
    items: list[AgendaItem],
    departments: list[Any],
) -> dict[str, Any]:
    published = meeting.status == MeetingStatus.CLOSED
    return {
        **present_meeting_row(meeting),
        "audience": audience,
        "participants": [
            line.strip() for line in meeting.participants.splitlines() if line.strip()
        ],
        "departments": [{"id": d.pk, "name": d.name} for d in departments],
        "items": [present_item(i, audience=audience, published=published) for i in items],
        "case_count": len(items),
        "minutes": meeting.minutes if audience == CONVENER or published else "",
        "published": published,
        "convened_at": meeting.convened_at,
        "closed_at": meeting.closed_at,
        # Set only when it closed before its announced time; every reader of the meeting
        # sees why (services.meeting_close).
        "early_close_reason": meeting.early_close_reason,
        "print_url": reverse("jointmeetings:print", args=[meeting.pk]),
    }


def present_candidate(case: Any, history: History, *, now: Any = None) -> dict[str, Any]:
    now = now or timezone.now()
    reasons = []
    if case.department_count >= 2:
        reasons.append("departments")
    if case.return_count >= 2:
        reasons.append("returns")
    if not reasons:
        reasons.append("waiting")
    return {
        **_case(case, audience=CONVENER),
        "return_count": case.return_count,
        "department_count": case.department_count,
        "on_open_agenda": bool(case.on_open_agenda),
        "overdue": bool(case.stage_due_at and case.stage_due_at < now),
        "reasons": reasons,
        "departments_involved": history.departments,
        "returns": history.returns,
    }
