"""What pages, the API and notifications show of grid tasks (ARCHITECTURE rule 7).

Tasks are read only by LEDGER_READERS inside their jurisdiction, all staff: issuer and worker
names are shown, nothing else personal. Files and photos never appear as storage paths, only
as URLs of the access-checked views (core.files.protected_file_response).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from civicgrid.fieldwork.models import GridTask, ItemStatus, TaskAttachment, TaskItem, TaskStatus
from civicgrid.fieldwork.tasks import can_manage, can_tick, deadline_text, task_state


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


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
