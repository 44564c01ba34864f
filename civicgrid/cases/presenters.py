"""What each audience sees of a case (ARCHITECTURE rule 7, docs/architecture.md "Cases").

One presenter for the case pages, the API and the notifications, so a resident reads the same
thing wherever they look:

- ``STAFF``: the people who work the case (inside their jurisdiction): the whole timeline with
  who acted, notes, deadlines; personal data of the reporter masked.
- ``REPORTER``: the resident who raised it, signed in: the public timeline (steps and times, no
  staff names, no internal notes, no first-contact owner) plus the handling result they are
  asked to evaluate (the feedback text and the photos taken after the work).
- ``PUBLIC``: someone tracking a case without an account: status and steps only; no
  description, place, notes, result text, photos or personal data (a number and a phone are
  weaker proof than an account, and the caller cannot evaluate here anyway).

Values are plain data (strings, numbers, datetimes): templates and the API never receive a
model whose fields would decrypt on access, and photos are given only as URLs of the
access-checked photo view, never as storage paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import (
    ESCALATION_NOTE,
    Action,
    CaseStatus,
    HandlingLevel,
    Satisfaction,
)
from civicgrid.cases.deadlines import case_deadline_state
from civicgrid.cases.models import Case, CaseEvent, CasePhoto
from civicgrid.core.pii import mask_name, mask_phone
from civicgrid.core.worktime import WorkUnit

STAFF = "staff"
REPORTER = "reporter"
PUBLIC = "public"

# Steps whose photos show the result of the work (what the reporter evaluates).
RESULT_ACTIONS = frozenset({Action.FEEDBACK, Action.VERIFY})


def audience_for(user: Any) -> str:
    """The audience of a signed-in user who may see the case (``visible_to`` decided that):
    a resident sees only their own requests, as their reporter."""
    if getattr(user, "role", None) == Role.RESIDENT and not getattr(user, "is_superuser", False):
        return REPORTER
    return STAFF


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def present_photo(photo: CasePhoto) -> dict[str, Any]:
    """A photo as URLs of the access-checked photo view (``views.photo``)."""
    full = reverse("cases:photo", args=[photo.case_id, photo.pk, "full"])
    thumb = reverse("cases:photo", args=[photo.case_id, photo.pk, "thumb"])
    return {"id": photo.pk, "url": full, "thumbnail_url": thumb, "at": photo.at}


def photo_shown_to(photo: CasePhoto, audience: str) -> bool:
    """Whether ``audience`` sees this photo at all, so the photo view serves no more than the
    pages and the API show: staff every photo of the case, the reporter the photos of the
    report and of the result (feedback, verification), the public none."""
    if audience == STAFF:
        return True
    if audience != REPORTER:
        return False
    if photo.event_id is None:
        return True
    action = photo.event.action if photo.event is not None else ""
    return action == Action.REPORT or action in RESULT_ACTIONS


def event_detail(data: dict[str, Any]) -> str:
    """What an event's recorded input means, in words (level, length, evaluation…)."""
    parts = []
    if data.get("level") in HandlingLevel.values:
        parts.append(str(HandlingLevel(data["level"]).label))
    if data.get("amount") and data.get("unit") in WorkUnit.values:
        parts.append(f"{data['amount'].rstrip('0').rstrip('.')} {WorkUnit(data['unit']).label}")
    if data.get("satisfaction") in Satisfaction.values:
        parts.append(str(Satisfaction(data["satisfaction"]).label))
    if data.get("rework"):
        parts.append(_("第 %(n)s 次返工") % {"n": data["rework"]})
    if data.get("escalation"):
        parts.append(_("超期自动督办"))
    return " · ".join(parts)


def _event_photos(event: CaseEvent) -> list[CasePhoto]:
    # ``case_timeline`` prefetches them; .all() then costs no query.
    return list(event.photos.all())


def present_event(event: CaseEvent, *, audience: str) -> dict[str, Any]:
    """One step of the timeline. Every audience gets the same keys; what it may not see is
    empty, so the page and the API show exactly the same thing."""
    # The handling result is for those who may judge it: staff and the reporter evaluating it.
    shows_result = audience in (STAFF, REPORTER) and event.action == Action.FEEDBACK
    result = event.note if shows_result else ""
    base: dict[str, Any] = {
        "id": event.pk,
        "at": event.at,
        "action": event.action,
        "action_label": _label(Action, event.action),
        "from_status": event.from_status,
        "from_status_label": _label(CaseStatus, event.from_status),
        "to_status": event.to_status,
        "to_status_label": _label(CaseStatus, event.to_status),
        "result": result,
        "actor": "",
        "actor_role": "",
        "actor_role_label": "",
        "actor_department": "",
        "to_department": "",
        "stage": "",
        "deadline": None,
        "on_time": None,
        "next_deadline": None,
        "note": "",
        "detail": "",
        "data": {},
        "photos": [],
    }
    if audience == STAFF:
        note = event.note
        if event.data.get("escalation") and note == ESCALATION_NOTE:
            # The system's own note repeats the detail, which already says it (translated).
            note = ""
        base.update(
            actor=str(event.actor) if event.actor else _("系统"),
            actor_role=event.actor_role,
            actor_role_label=_label(Role, event.actor_role),
            actor_department=str(event.actor_department) if event.actor_department else "",
            to_department=str(event.to_department) if event.to_department else "",
            stage=event.stage,
            deadline=event.deadline,
            on_time=event.on_time,
            next_deadline=event.next_deadline,
            note=note,
            detail=event_detail(event.data),
            data=event.data,
            photos=[present_photo(p) for p in _event_photos(event)]
            if event.action != Action.REPORT
            else [],
        )
    elif audience == REPORTER:
        if (
            event.action == Action.EVALUATE
            and event.data.get("satisfaction") in Satisfaction.values
        ):
            base["detail"] = str(Satisfaction(event.data["satisfaction"]).label)
        if event.action in RESULT_ACTIONS:
            base["photos"] = [present_photo(p) for p in _event_photos(event)]
    return base


def present_timeline(events: Iterable[CaseEvent], *, audience: str) -> list[dict[str, Any]]:
    return [present_event(e, audience=audience) for e in events]


def present_row(case: Case, *, now: datetime | None = None) -> dict[str, Any]:
    """A case in a list (API list, work queues): no personal data, no staff names."""
    state = case_deadline_state(case, now or timezone.now())
    category = case.category
    return {
        "id": case.pk,
        "number": case.number,
        "channel": case.channel,
        "channel_label": case.get_channel_display(),
        "category_code": category.code,
        "category_name": category.name,
        "category_parent_name": category.parent.name if category.parent else "",
        "grid_name": case.grid.name if case.grid_id and case.grid else "",
        "deadline_label": str(state.label) if state else "",
        "deadline_css": state.css if state else "",
        "satisfaction": case.satisfaction,
        "summary": case.description[:60],
        "status": case.status,
        "status_label": case.get_status_display(),
        "grid_code": case.grid_code,
        "outside_grid": case.outside_grid,
        "department": case.department.name if case.department else "",
        "urgent": case.urgent,
        "supervised": case.supervised,
        "stage": case.stage,
        "stage_due_at": case.stage_due_at,
        "deadline_state": state.value if state else None,
        "address": case.address,
        "reported_at": case.reported_at,
    }


def present_rows(cases: Iterable[Case], *, now: datetime | None = None) -> list[dict[str, Any]]:
    """A page of list rows (work queues, the command-centre list, a resident's requests)."""
    now = now or timezone.now()
    return [present_row(case, now=now) for case in cases]


def _place(case: Case) -> str:
    if case.grid is not None:
        community = getattr(case.grid, "community", None)
        short = getattr(community, "short_name", "") if community is not None else ""
        return f"{case.grid.name} · {short}" if short else case.grid.name
    return case.grid_code


def present_case(
    case: Case,
    *,
    audience: str,
    events: Sequence[CaseEvent] = (),
    actions: Sequence[str] = (),
    now: datetime | None = None,
    loose_photos: Sequence[CasePhoto] | None = None,
) -> dict[str, Any]:
    """The case page / API detail for ``audience``. ``events`` is the timeline
    (``selectors.case_timeline``), ``actions`` what the viewer may do now
    (``workflow.allowed_actions``): the caller decides both, the presenter only shows them.
    ``loose_photos`` are the photos added on their own, when the caller already knows them
    (intake answering with what it just wrote: none yet); None reads them."""
    if audience == PUBLIC:
        return present_tracking(case, events=events)
    staff = audience == STAFF
    # Photos of the report, and those added on their own (the API's photo upload) after it.
    if loose_photos is None:
        loose_photos = list(case.photos.filter(event__isnull=True).order_by("at", "id"))
    intake = [
        present_photo(p) for e in events if e.action == Action.REPORT for p in _event_photos(e)
    ] + [present_photo(p) for p in loose_photos]
    extension = ""
    if staff and case.extension_amount:
        amount = f"{case.extension_amount:f}".rstrip("0").rstrip(".")
        extension = f"{amount} {_label(WorkUnit, case.extension_unit)}"
    return {
        **present_row(case, now=now),
        "audience": audience,
        "description": case.description,
        "lat": case.lat,
        "lng": case.lng,
        "place": _place(case),
        "community_code": case.grid.community.code
        if case.grid is not None and getattr(case.grid, "community", None) is not None
        else "",
        "is_open": case.is_open,
        "stage_label": case.get_stage_display(),
        # Personal data leaves the server masked (rule 3), for every audience.
        "reporter_name": mask_name(case.reporter_name),
        "reporter_phone": mask_phone(case.reporter_phone),
        "first_owner": str(case.first_owner) if staff and case.first_owner else "",
        "assignee": str(case.assignee) if staff and case.assignee else "",
        "level": case.level,
        "level_label": case.get_level_display() if case.level else "",
        "extension": extension,
        "rework_count": case.rework_count,
        "reopen_count": case.reopen_count,
        "satisfaction_label": case.get_satisfaction_display() if case.satisfaction else "",
        "supervise_reason": case.supervise_reason if staff else "",
        "merged_into": case.merged_into.number if staff and case.merged_into else "",
        "merged_into_id": case.merged_into_id if staff else None,
        "allowed_actions": [str(a) for a in actions],
        "timeline": present_timeline(events, audience=audience),
        "photos": intake,
    }


def present_tracking(case: Case, *, events: Iterable[CaseEvent]) -> dict[str, Any]:
    """What tracking by number shows someone without an account: the status and the steps;
    no description, place, notes, photos or personal data."""
    community = getattr(case.grid, "community", None) if case.grid is not None else None
    return {
        "number": case.number,
        "category_name": case.category.name,
        "status": case.status,
        "status_label": case.get_status_display(),
        "reported_at": case.reported_at,
        "community": getattr(community, "short_name", "") if community is not None else "",
        "timeline": present_timeline(events, audience=PUBLIC),
    }


# --- notifications -----------------------------------------------------------------------------

# Steps a resident who raised the case is told about.
REPORTER_TOLD = {
    Action.ACCEPT: gettext_lazy("已受理"),
    Action.VOID: gettext_lazy("未予立案"),
    Action.FEEDBACK: gettext_lazy("已处理,待核查"),
    Action.VERIFY: gettext_lazy("已办结,欢迎评价"),
    Action.REOPEN: gettext_lazy("已重新办理"),
}


def staff_notice(case: Case, event: CaseEvent) -> dict[str, str]:
    """The message the people who work the case get about a step."""
    return {
        "title": f"{case.number} {_label(Action, event.action)}:{case.get_status_display()}",
        "body": f"{case.category.name}:{case.description[:100]}",
    }


def reporter_notice(case: Case, event: CaseEvent) -> dict[str, str] | None:
    """The message the reporter gets about a step (None when the step is not news to them).
    Only the public facts: the number and what happened, never who did it or their notes."""
    news = REPORTER_TOLD.get(Action(event.action)) if event.action in Action.values else None
    if news is None:
        return None
    return {"title": _("您反映的问题 %(number)s %(news)s") % {"number": case.number, "news": news}}
