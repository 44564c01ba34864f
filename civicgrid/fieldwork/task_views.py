"""Grid-task pages (分片包干 / 任务下发): the list, the issue form, a task's page (the issuer's
completion per community and grid, the worker's items to tick), the attachment download and
an item's photo.

Every view declares its policy (docs/architecture.md "One way in"): a task comes from
``tasks.access_task`` (404 out of scope), lists from ``visible_to``, files only through
``core.files.protected_file_response`` after that check. Ticking on the phone goes through the
JSON API (the offline outbox resends it with its ``client_key``); everything else is a form.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicgrid.accounts.choices import LEDGER_READERS
from civicgrid.core import inputs
from civicgrid.core.files import protected_file_response
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.fieldwork import tasks
from civicgrid.fieldwork.models import ChecklistKind, GridTask, TaskStatus
from civicgrid.fieldwork.presenters import present_attachment, present_item, present_task
from civicgrid.geo.models import Grid, Region

# Who reads tasks: the staff who keep the ledgers of the target grids.
TASK_READERS = LEDGER_READERS
ISSUERS = tasks.ISSUERS
TICKERS = tasks.TICKERS
ITEMS_PER_PAGE = 100

BROKEN_UPLOAD = gettext_lazy("提交的内容无法解析(可能上传中断),请重新填写后提交。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput(
        attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.txt,.jpg,.jpeg,.png"}
    )

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return list(files)


class TaskForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("任务名称"),
        max_length=tasks.TITLE_MAX,
        error_messages={"required": gettext_lazy("请填写任务名称")},
    )
    instructions = forms.CharField(
        label=gettext_lazy("任务要求"),
        max_length=tasks.INSTRUCTIONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = AttachmentsField(
        label=gettext_lazy("附件(PDF、Word、Excel 等,最多 5 个)"), required=False
    )
    deadline_days = forms.IntegerField(
        label=gettext_lazy("完成时限(工作日)"),
        min_value=1,
        max_value=tasks.MAX_DEADLINE_DAYS,
        required=False,
        error_messages={
            "invalid": gettext_lazy("工作日数应为整数"),
            "min_value": gettext_lazy("工作日数应在 1 到 60 之间"),
            "max_value": gettext_lazy("工作日数应在 1 到 60 之间"),
        },
    )
    deadline_date = forms.DateField(
        label=gettext_lazy("或截止日期"),
        required=False,
        widget=inputs.DateInput(),
        error_messages={"invalid": gettext_lazy("日期格式应为 YYYY-MM-DD")},
    )
    region = forms.ChoiceField(label=gettext_lazy("下发到社区/街道(全部网格)"), required=False)
    grids = forms.MultipleChoiceField(
        label=gettext_lazy("或选择网格"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("所选网格不存在或不在您的管辖范围内")},
    )
    checklist = forms.ChoiceField(
        label=gettext_lazy("任务清单"), choices=ChecklistKind.choices, initial=ChecklistKind.NONE
    )
    needs_photo = forms.BooleanField(label=gettext_lazy("办理时须拍照"), required=False)
    needs_location = forms.BooleanField(label=gettext_lazy("办理时须定位"), required=False)
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = (
            Region.objects.visible_to(user)
            .filter(level__in=["district", "street", "community"], retired_on__isnull=True)
            .order_by("code")
        )
        self.fields["region"].choices = [("", _("(不按社区/街道下发)"))] + [  # type: ignore[attr-defined]
            (r.code, f"{r.get_level_display()} · {r.name}") for r in regions
        ]
        grids = Grid.objects.visible_to(user).current().order_by("code")
        self.fields["grids"].choices = [  # type: ignore[attr-defined]
            (str(g.pk), f"{g.name}({g.code})") for g in grids
        ]


def _posted(request: HttpRequest) -> tuple[Any, Any] | None:
    try:
        return request.POST, request.FILES
    except (MultiPartParserError, TooManyFilesSent, RequestDataTooBig):
        return None


def _errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, found in exc.message_dict.items():
            name = {"deadline_days": "deadline_days", "region": "region"}.get(name, name)
            target = name if name in form.fields else None
            for message in found:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@require_GET
@policy(roles=TASK_READERS, scope=LIST)
def task_list(request: HttpRequest) -> HttpResponse:
    """My open tasks (worker: my part's progress), or the tasks the issuer sees by status."""
    user: Any = request.user
    status = request.GET.get("status", TaskStatus.OPEN)
    if status not in TaskStatus.values and status != "all":
        status = TaskStatus.OPEN
    page = paginate(request, tasks.tasks_for(user, status="" if status == "all" else status))
    return render(
        request,
        "fieldwork/task_list.html",
        {
            "page": page,
            "rows": [present_task(t, user=user) for t in page.object_list],
            "status": status,
            "statuses": [(TaskStatus.OPEN.value, TaskStatus.OPEN.label)]
            + [(s.value, s.label) for s in (TaskStatus.CLOSED, TaskStatus.WITHDRAWN)]
            + [("all", _("全部"))],
            "can_issue": user.is_superuser or user.role in ISSUERS,
        },
    )


@require_http_methods(["GET", "POST"])
@policy(roles=ISSUERS, scope=NONE)
def task_new(request: HttpRequest) -> HttpResponse:
    """The issue form → ``tasks.task_issue`` (all or nothing)."""
    user: Any = request.user
    status = 200
    if request.method == "POST":
        posted = _posted(request)
        if posted is None:
            messages.error(request, BROKEN_UPLOAD)
            form = TaskForm(initial={"client_key": uuid.uuid4().hex}, user=user)
            status = 400
        else:
            form = TaskForm(posted[0], posted[1], user=user)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    task, created = tasks.task_issue(
                        actor=user,
                        title=data["title"],
                        instructions=data["instructions"],
                        grid_ids=data["grids"],
                        region_code=data["region"],
                        deadline_days=data["deadline_days"],
                        deadline_date=data["deadline_date"],
                        checklist=data["checklist"],
                        needs_photo=data["needs_photo"],
                        needs_location=data["needs_location"],
                        attachments=data["attachments"],
                        client_key=data["client_key"],
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    if created:
                        messages.success(request, _("任务已下发。"))
                    else:
                        messages.info(request, _("这个任务已经下发过,没有重复下发。"))
                    return redirect("fieldwork:task_detail", pk=task.pk)
            status = 400
    else:
        form = TaskForm(initial={"client_key": uuid.uuid4().hex}, user=user)
    return render(request, "fieldwork/task_form.html", {"form": form}, status=status)


@require_GET
@policy(roles=TASK_READERS, scope=OBJECT)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The issuer's completion table; the worker's items with tick buttons."""
    user: Any = request.user
    task = tasks.access_task(user, pk)
    shown = present_task(task, user=user)
    completion = tasks.task_completion(user, task)
    grid_code = (request.GET.get("grid") or "").strip()[:15]
    is_ticker = shown["can_tick"] and user.role in TICKERS
    items_page = None
    if is_ticker or grid_code:
        items_page = paginate(
            request, tasks.items_for(user, task, grid_code=grid_code), per_page=ITEMS_PER_PAGE
        )
    my_parts = list(tasks.parts_for(user, task)) if is_ticker else []
    return render(
        request,
        "fieldwork/task_detail.html",
        {
            "task": shown,
            "attachments": [present_attachment(a) for a in task.attachments.all()],
            "completion": completion,
            "items_page": items_page,
            "items": [present_item(i) for i in items_page.object_list] if items_page else [],
            "grid_code": grid_code,
            "is_ticker": is_ticker,
            "can_add": is_ticker and len(my_parts) >= 1,
            "my_parts": my_parts,
            "tick_api": reverse("api:api-root") + "fieldwork/tasks/items/",
            "new_key": uuid.uuid4().hex,
        },
    )


def _manage(request: HttpRequest, pk: int) -> GridTask:
    task = tasks.access_task(request.user, pk)
    if not tasks.can_manage(request.user, task):
        raise PermissionDenied(_("只有下发单位可以办结、撤回或催办任务"))
    return task


def _say_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@policy(roles=ISSUERS, scope=OBJECT)
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    try:
        tasks.task_close(task=task, actor=request.user, note=request.POST.get("note", ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        messages.success(request, _("任务已办结。"))
    return redirect("fieldwork:task_detail", pk=task.pk)


@require_POST
@policy(roles=ISSUERS, scope=OBJECT)
def task_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    try:
        tasks.task_withdraw(task=task, actor=request.user, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        messages.success(request, _("任务已撤回。"))
    return redirect("fieldwork:task_detail", pk=task.pk)


@require_POST
@policy(roles=ISSUERS, scope=OBJECT)
def task_remind(request: HttpRequest, pk: int) -> HttpResponse:
    task = _manage(request, pk)
    try:
        sent = tasks.task_remind(task=task, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        if sent:
            messages.success(request, _("已催办 %(n)s 名网格员。") % {"n": sent})
        else:
            messages.info(request, _("没有需要催办的网格员(今天已催办过,或各网格均已完成)。"))
    return redirect("fieldwork:task_detail", pk=task.pk)


@require_POST
@policy(roles=TICKERS, scope=OBJECT)
def task_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A free item the worker adds to their grid's part."""
    task = tasks.access_task(request.user, pk)
    try:
        _item, created = tasks.item_add(
            task=task,
            actor=request.user,  # type: ignore[arg-type]
            label=request.POST.get("label", ""),
            grid_code=request.POST.get("grid", ""),
            client_key=request.POST.get("client_key", ""),
        )
    except ValidationError as exc:
        _say_errors(request, exc)
    else:
        if created:
            messages.success(request, _("事项已添加。"))
    return redirect("fieldwork:task_detail", pk=task.pk)


@require_GET
@policy(roles=TASK_READERS, scope=OBJECT)
def task_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """An attachment, after the task's access check (404 out of scope)."""
    attachment = tasks.access_attachment(request.user, pk, file_pk)
    return protected_file_response(attachment.file, download_name=attachment.name)


@require_GET
@policy(roles=TASK_READERS, scope=OBJECT)
def task_item_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An item's evidence photo, after the item's access check (404 out of scope)."""
    item = tasks.access_item(request.user, pk)
    if not item.photo:
        raise Http404
    return protected_file_response(item.photo)
