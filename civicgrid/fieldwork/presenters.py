"""What pages, the API and exports show of field work: patrols, flags, 一日双巡 verdicts,
visits and grid tasks (ARCHITECTURE rule 7, docs/architecture.md "Field work").

Only TRACK_READERS ever reach these rows (``visible_to``), all of them staff, so the worker's
name and the grid's name are shown; nothing else personal is: no phone, no account name, no
track coordinates (those come only from ``selectors.patrol_track``, which audits the read).
Values are plain data (strings, numbers, datetimes).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from civicgrid.core.pii import mask_phone
from civicgrid.fieldwork.choices import ComplianceStatus, FlagKind, VisitPurpose
from civicgrid.fieldwork.models import (
    DailyCompliance,
    GridTask,
    ItemStatus,
    Patrol,
    PatrolFlag,
    TaskAttachment,
    TaskItem,
    TaskStatus,
    Visit,
)
from civicgrid.fieldwork.tasks import can_manage, can_tick, deadline_text, task_state
from civicgrid.fieldwork.visits import CORRECTABLE_PERSON_FIELDS
from civicgrid.registry.models import Person

# The calendar's colour for each verdict: a CSS modifier, never an inline style.
COMPLIANCE_TONES = {
    ComplianceStatus.COMPLIANT: "ok",
    ComplianceStatus.ONE_ONLY: "warn",
    ComplianceStatus.TOO_SHORT: "warn",
    ComplianceStatus.OUTSIDE: "warn",
    ComplianceStatus.NONE: "bad",
}


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _share(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def present_patrol(patrol: Patrol, *, user: Any) -> dict[str, Any]:
    """A patrol for a TRACK_READER (the caller got it through ``access_patrol`` or
    ``visible_to``). ``mine`` tells the worker's own patrol (they may add to and end it)."""
    flag_count = getattr(patrol, "flag_count", None)
    return {
        "id": patrol.pk,
        "worker": str(patrol.worker),
        "worker_id": patrol.worker_id,
        "grid": patrol.grid.name,
        "grid_code": patrol.grid_code,
        "started_at": patrol.started_at,
        "ended_at": patrol.ended_at,
        "open": patrol.ended_at is None,
        "mine": getattr(user, "pk", None) == patrol.worker_id,
        "duration_min": patrol.duration_s // 60,
        "distance_m": round(patrol.distance_m),
        "inside_pct": _share(patrol.inside_share),
        "coverage_pct": _share(patrol.coverage_share),
        "point_count": patrol.point_count,
        "flag_count": flag_count,
    }


def present_flag(flag: PatrolFlag) -> dict[str, Any]:
    patrol = flag.patrol
    return {
        "id": flag.pk,
        "patrol_id": flag.patrol_id,
        "kind": flag.kind,
        "kind_label": _label(FlagKind, flag.kind),
        "detail": flag.detail,
        "at": flag.at,
        "worker": str(patrol.worker),
        "worker_id": patrol.worker_id,
        "grid": patrol.grid.name,
        "grid_code": flag.grid_code,
    }


def present_compliance(row: DailyCompliance) -> dict[str, Any]:
    return {
        "id": row.pk,
        "day": row.day,
        "status": row.status,
        "status_label": _label(ComplianceStatus, row.status),
        "tone": COMPLIANCE_TONES.get(row.status, "bad"),  # type: ignore[call-overload]
        "patrols": row.patrols,
        "minutes": row.minutes,
        "note": row.note,
        "worker": str(row.worker),
        "worker_id": row.worker_id,
        "grid": row.grid.name,
        "grid_code": row.grid_code,
    }


def present_visit(visit: Visit, *, user: Any) -> dict[str, Any]:
    """A visit for a LEDGER_READER (the caller got it through ``access_visit`` or
    ``visible_to``): the person's name and the household's number are shown, never an ID
    number, a phone or an address (docs/architecture.md "One way in": one presenter)."""
    person = visit.person
    household = visit.household
    case = visit.case
    return {
        "id": visit.pk,
        "worker": str(visit.worker),
        "worker_id": visit.worker_id,
        "mine": getattr(user, "pk", None) == visit.worker_id,
        "grid": visit.grid.name,
        "grid_code": visit.grid_code,
        "person_id": visit.person_id,
        "person_name": person.name if person is not None else "",
        "household_id": visit.household_id,
        "household_number": household.number if household is not None else "",
        "visited_at": visit.visited_at,
        "purpose": visit.purpose,
        "purpose_label": _label(VisitPurpose, visit.purpose),
        "findings": visit.findings,
        "follow_up": visit.follow_up,
        "case_id": visit.case_id,
        "case_number": case.number if case is not None else "",
        "corrections": _corrections(visit),
        "photos": [
            {
                "thumbnail_url": reverse("fieldwork:visit_photo", args=[visit.pk, p.pk, "thumb"]),
                "url": reverse("fieldwork:visit_photo", args=[visit.pk, p.pk, "full"]),
            }
            for p in visit.photos.all()
        ],
    }


def _corrections(visit: Visit) -> list[tuple[str, str]]:
    """(label, value) of the ledger fields corrected on the visit, as the person's ledger
    shows them now: the phone masked like everywhere else (docs/architecture.md "One way in")."""
    person = visit.person
    if person is None or not visit.corrected_fields:
        return []
    rows = []
    for name in visit.corrected_fields:
        if name not in CORRECTABLE_PERSON_FIELDS:
            continue
        label = str(getattr(Person._meta.get_field(name), "verbose_name", name))
        if name == "phone":
            value = mask_phone(person.phone)
        elif name == "presence":
            value = person.get_presence_display()
        else:
            value = getattr(person, name)
        rows.append((label, value or "—"))
    return rows


# --- grid tasks: read only by LEDGER_READERS in their jurisdiction, all staff: issuer and
# worker names are shown, nothing else personal; files only as URLs of the access-checked views.


def present_task(task: GridTask, *, user: Any) -> dict[str, Any]:
    """A task for a reader who got it through ``visible_to`` or ``access_task``. ``total`` and
    ``done`` are the caller's own part when the row was annotated by ``tasks_for``."""
    state = task_state(task)
    total = getattr(task, "total", None)
    done = getattr(task, "done", None)
    return {
        "id": task.pk,
        "title": task.title,
        "instructions": task.instructions,
        "issuer": str(task.issuer),
        "region_code": task.region_code,
        "created_at": task.created_at,
        "deadline": task.deadline,
        "deadline_text": deadline_text(task) if task.status == TaskStatus.OPEN else "",
        "deadline_state": state.value if state is not None else "",
        "deadline_state_label": str(state.label) if state is not None else "",
        "deadline_css": state.css if state is not None else "",
        "needs_photo": task.needs_photo,
        "needs_location": task.needs_location,
        "checklist": task.checklist,
        "checklist_label": task.get_checklist_display(),
        "status": task.status,
        "status_label": _label(TaskStatus, task.status),
        "ended_at": task.ended_at,
        "end_reason": task.end_reason,
        "total": total,
        "done": done,
        "percent": (done * 100 // total) if total and done is not None else 0,
        "can_manage": can_manage(user, task),
        "can_tick": can_tick(user) and task.status == TaskStatus.OPEN,
        "url": reverse("fieldwork:task_detail", args=[task.pk]),
    }


def present_attachment(attachment: TaskAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size_kb": max(1, round(attachment.size / 1024)),
        "url": reverse("fieldwork:task_file", args=[attachment.task_id, attachment.pk]),
    }


def present_item(item: TaskItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "task_id": item.task_id,
        "grid_code": item.grid_code,
        "label": item.label,
        "status": item.status,
        "status_label": _label(ItemStatus, item.status),
        "note": item.note,
        "done_by": str(item.done_by) if item.done_by_id else "",
        "done_at": item.done_at,
        "located": item.lat is not None,
        "photo_url": (reverse("fieldwork:task_item_photo", args=[item.pk]) if item.photo else ""),
        "free": item.added_by_id is not None,
    }
