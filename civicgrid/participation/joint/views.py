"""Joint-meeting pages: the list, the candidate cases, the new-meeting form, a meeting's page
(agenda, decisions, minutes, close) and its print-friendly minutes.

Every view declares its policy (docs/architecture.md "One way in"): a meeting comes from
``services.access_meeting`` (404 out of scope; an invited department reads, only the command
centre writes), lists from ``visible_to``. The pages and the API call the same services."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.participation.joint import selectors, services
from civicgrid.participation.joint.choices import CONVENERS, MEETING_READERS, MeetingStatus
from civicgrid.participation.joint.forms import (
    AgendaForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    apply_errors,
    split_numbers,
)
from civicgrid.participation.joint.models import JointMeeting
from civicgrid.participation.joint.presenters import (
    CONVENER,
    audience_for,
    present_candidate,
    present_meeting,
    present_meeting_row,
)


@require_GET
@policy(roles=MEETING_READERS, scope=LIST)
def meeting_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    if status not in MeetingStatus.values:
        status = ""
    page = paginate(request, selectors.meetings_for(user, status=status))
    return render(
        request,
        "participation/joint/list.html",
        {
            "page": page,
            "rows": [present_meeting_row(m) for m in page.object_list],
            "status": status,
            "statuses": MeetingStatus.choices,
            "may_convene": services.may_convene(user),
        },
    )


@require_GET
@policy(roles=CONVENERS, scope=LIST)
def candidates(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    page = paginate(request, selectors.candidates_for(user, now=now))
    found = selectors.histories([c.pk for c in page.object_list])
    rows = [present_candidate(c, found[c.pk], now=now) for c in page.object_list]
    return render(request, "participation/joint/candidates.html", {"page": page, "rows": rows})


@require_http_methods(["GET", "POST"])
@policy(roles=CONVENERS, scope=NONE)
def meeting_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=user,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    place=data["place"],
                    region_code=data["region"],
                    participants=data["participants"],
                    department_ids=data["departments"],
                    cases=services.cases_by_numbers(user, split_numbers(data["cases"])),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("会议已创建(草稿),确认议程和参会部门后即可召集。"))
                return redirect("jointmeetings:detail", pk=meeting.pk)
        status = 400
    else:
        wanted = [pk for pk in request.GET.getlist("case") if pk.isdigit()][:50]
        numbers = []
        if wanted:
            try:
                numbers = [c.number for c in services.cases_by_ids(user, wanted)]
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        form = MeetingForm(
            initial={
                "cases": "\n".join(numbers),
                "title": _("疑难事件联席会议"),
                "place": _("街道网格管理中心会议室"),
            },
            user=user,
        )
    return render(request, "participation/joint/new.html", {"form": form}, status=status)


def _meeting_context(request: HttpRequest, meeting: JointMeeting) -> dict[str, Any]:
    user: Any = request.user
    audience = audience_for(user)
    items = selectors.meeting_items(meeting)
    departments = [i.department for i in meeting.invitations.select_related("department")]
    shown = present_meeting(meeting, audience=audience, items=items, departments=departments)
    context: dict[str, Any] = {
        "meeting": shown,
        "may_edit": False,
        # Before its announced time, closing asks for a reason (services.meeting_close).
        "early": meeting.status == MeetingStatus.CONVENED and timezone.now() < meeting.starts_at,
    }
    if audience == CONVENER and not meeting.is_closed:
        context.update(
            may_edit=True,
            agenda_form=AgendaForm(),
            invite_form=InviteForm(meeting=meeting),
            minutes_form=MinutesForm(initial={"minutes": meeting.minutes}),
            decision_forms={
                i.pk: DecisionForm(
                    departments=departments,
                    initial={
                        "lead": i.lead_department_id,
                        "assists": [str(d.pk) for d in i.assist_departments.all()],
                        "due_days": i.due_days,
                        "note": i.decision_note,
                    },
                    prefix=f"d{i.pk}",
                )
                for i in items
                if i.applied_at is None
            }
            if meeting.status == MeetingStatus.CONVENED
            else {},
        )
    for row in shown["items"]:
        row["form"] = context.get("decision_forms", {}).get(row["id"])
    return context


@require_GET
@policy(roles=MEETING_READERS, scope=OBJECT)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk)
    return render(request, "participation/joint/detail.html", _meeting_context(request, meeting))


@require_GET
@policy(roles=MEETING_READERS, scope=OBJECT)
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk)
    return render(request, "participation/joint/print.html", _meeting_context(request, meeting))


def _done(request: HttpRequest, pk: int, text: str = "") -> HttpResponse:
    if text:
        messages.success(request, text)
    return redirect("jointmeetings:detail", pk=pk)


def _refused(request: HttpRequest, pk: int, exc: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    return redirect("jointmeetings:detail", pk=pk)


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    form = AgendaForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, ValidationError(_("请填写事件编号")))
    try:
        cases = services.cases_by_numbers(request.user, split_numbers(form.cleaned_data["cases"]))
        added = services.agenda_add(meeting=meeting, actor=request.user, cases=cases)
    except ValidationError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("已列入议程 %(n)s 件事件") % {"n": len(added)})


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    form = InviteForm(request.POST, meeting=meeting)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _refused(request, pk, ValidationError(errors or _("请选择要邀请的部门")))
    try:
        n = services.meeting_invite(
            meeting=meeting, actor=request.user, department_ids=form.cleaned_data["departments"]
        )
    except ValidationError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("已邀请 %(n)s 个部门") % {"n": n})


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def convene(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    try:
        services.meeting_convene(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("会议已召集,已通知参会部门。"))


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.access_item(request.user, pk, for_write=True)
    meeting_pk = item.meeting_id
    departments = [i.department for i in item.meeting.invitations.select_related("department")]
    form = DecisionForm(request.POST, departments=departments, prefix=f"d{item.pk}")
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _refused(request, meeting_pk, ValidationError(errors))
    data = form.cleaned_data
    try:
        services.decision_record(
            item=item,
            actor=request.user,
            lead_department_id=data["lead"],
            assist_department_ids=data["assists"],
            due_days=data["due_days"],
            note=data["note"],
        )
        if request.POST.get("apply"):
            services.decision_apply(item=item, actor=request.user)
    except ValidationError as exc:
        return _refused(request, meeting_pk, exc)
    text = (
        _("决定已记录并执行:事件 %(number)s 已按决定派遣")
        if request.POST.get("apply")
        else _("已记录对事件 %(number)s 的决定")
    )
    return _done(request, meeting_pk, text % {"number": item.case.number})


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.access_item(request.user, pk, for_write=True)
    try:
        _item, changed = services.decision_apply(item=item, actor=request.user)
    except ValidationError as exc:
        return _refused(request, item.meeting_id, exc)
    text = _("决定已执行") if changed else _("该决定此前已执行,未重复操作")
    return _done(request, item.meeting_id, text)


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, ValidationError(_("会议纪要过长")))
    if request.POST.get("close"):
        try:
            services.meeting_close(
                meeting=meeting,
                actor=request.user,
                minutes=form.cleaned_data["minutes"],
                reason=request.POST.get("reason", ""),
                request=request,
            )
        except ValidationError as exc:
            # Closing was refused (no reason before the announced time, no minutes): keep
            # what was typed as the draft minutes, and say why the meeting is still open.
            with contextlib.suppress(ValidationError):
                services.minutes_save(
                    meeting=meeting, actor=request.user, minutes=form.cleaned_data["minutes"]
                )
            return _refused(request, pk, exc)
        return _done(request, pk, _("会议已结束,纪要和决定已发布给参会部门。"))
    try:
        services.minutes_save(
            meeting=meeting, actor=request.user, minutes=form.cleaned_data["minutes"]
        )
    except ValidationError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("会议纪要已保存"))


@require_POST
@policy(roles=CONVENERS, scope=OBJECT)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, pk, for_write=True)
    try:
        services.meeting_close(
            meeting=meeting,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("会议已结束,纪要和决定已发布给参会部门。"))
