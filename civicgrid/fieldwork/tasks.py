"""Grid tasks (分片包干 / 任务下发): issuing a task to grids, ticking its items off, watching
completion, reminding, closing and withdrawing (docs/architecture.md "Field work").

Scope (docs/architecture.md "One way in"): a task is visible to whoever reads ledgers in one of
its target grids (``GridTask.objects.visible_to``), its items and parts by their own grid code.
An issuer (secretary, command centre, cadre) may target only grids inside their own
jurisdiction: every target grid is checked, a single outsider grid refuses the whole task.
Nothing is deleted: a task is closed (办结) or withdrawn (撤回) with a reason.

The phone may resend a tick after a dropped connection (offline outbox): the same
``client_key`` of the same person answers the item as the first tick left it, changing nothing.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.core.scoping import access_object, prefix_q
from civicgrid.core.worktime import (
    WorkUnit,
    add_working_time,
    deadline_state,
    is_workday,
    work_periods,
    working_hours_between,
)
from civicgrid.fieldwork.models import (
    ChecklistKind,
    GridTask,
    ItemStatus,
    TaskAttachment,
    TaskItem,
    TaskPart,
    TaskStatus,
    TaskTick,
)
from civicgrid.fieldwork.photos import decode_photo
from civicgrid.geo.models import Grid, Region

# Who issues tasks: the community (secretary, cadre) and the street/district command centre.
ISSUERS = frozenset({Role.COMMAND, Role.SECRETARY, Role.CADRE})
# Who ticks items in the field: the grid worker, and the cadre (片长) who walks a grid too.
TICKERS = frozenset({Role.GRID_WORKER, Role.CADRE})

TITLE_MAX = 100
INSTRUCTIONS_MAX = 4000
LABEL_MAX = 200
NOTE_MAX = 200
REASON_MAX = 200
CLIENT_KEY_MAX = 64
MAX_DEADLINE_DAYS = 60
MAX_ATTACHMENTS = 5
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".txt", ".jpg", ".jpeg", ".png"}
)
OUT_OF_SCOPE = "不存在或不在您的管辖范围内"
ENDED = "任务已办结或已撤回,不能再办理"
DONE_STATES = (ItemStatus.DONE, ItemStatus.NA)


def _fail(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: message})


# --- reading ----------------------------------------------------------------------------------


def access_task(user: Any, pk: Any) -> GridTask:
    """The task if one of its grids lies in ``user``'s ledgers; 404 otherwise (= missing)."""
    return access_object(GridTask.objects.select_related("issuer"), user, pk)


def access_item(user: Any, pk: Any) -> TaskItem:
    """The item if its grid lies in ``user``'s ledgers; 404 otherwise."""
    return access_object(TaskItem.objects.select_related("task", "part", "done_by"), user, pk)


def access_attachment(user: Any, task_pk: Any, pk: Any) -> TaskAttachment:
    """A file of a task ``user`` sees (the task is checked first: 404 when out of scope)."""
    task = access_task(user, task_pk)
    try:
        return TaskAttachment.objects.get(task=task, pk=pk)
    except (TaskAttachment.DoesNotExist, ValueError, TypeError) as exc:
        from django.http import Http404

        raise Http404 from exc


def can_manage(user: Any, task: GridTask) -> bool:
    """Close, withdraw and remind: the issuer, or an issuer role whose jurisdiction contains
    the unit the task was issued from (the street over a community's task)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if user.role not in ISSUERS:
        return False
    return task.issuer_id == user.pk or any(
        task.region_code.startswith(code) for code in user.scope_codes
    )


def can_tick(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in TICKERS
    )


def tasks_for(user: Any, *, status: str = "") -> QuerySet[GridTask]:
    """Tasks ``user`` sees, newest first, with done/total of the items in ``user``'s own part
    of each (a worker: their grids; a community: its grids; the street: all it sees)."""
    rows = GridTask.objects.visible_to(user)
    if status in TaskStatus.values:
        rows = rows.filter(status=status)
    mine = _scope_q(user, "items__grid_code")
    return (
        rows.select_related("issuer")
        .annotate(
            total=Count("items", filter=mine, distinct=True),
            done=Count("items", filter=mine & Q(items__status__in=DONE_STATES), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def _scope_q(user: Any, field_name: str) -> Q:
    if user.sees_everything:
        return Q()
    return prefix_q(field_name, user.scope_codes)


def items_for(user: Any, task: GridTask, *, grid_code: str = "") -> QuerySet[TaskItem]:
    """The task's items ``user`` sees (a worker: their grids' items), by grid then order."""
    rows = TaskItem.objects.visible_to(user).filter(task=task)
    if grid_code:
        rows = rows.filter(grid_code=grid_code)
    return rows.select_related("done_by").order_by("grid_code", "pk")


def parts_for(user: Any, task: GridTask) -> QuerySet[TaskPart]:
    return TaskPart.objects.visible_to(user).filter(task=task).select_related("grid")


@dataclass
class Tally:
    code: str
    name: str
    total: int = 0
    done: int = 0
    na: int = 0
    grids: int = 0
    overdue: bool = False
    rows: list[Tally] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.done + self.na

    @property
    def percent(self) -> int:
        return math.floor(self.finished * 100 / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.finished >= self.total

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "total": self.total,
            "done": self.done,
            "na": self.na,
            "finished": self.finished,
            "percent": self.percent,
            "overdue": self.overdue,
        }


@dataclass
class Completion:
    total: Tally
    communities: list[Tally]
    grids: list[Tally]


def task_completion(user: Any, task: GridTask, *, now: datetime | None = None) -> Completion:
    """Done / total per grid and per community of the parts ``user`` sees, counted from the
    items on every call (one aggregate query: the figures are live, never cached)."""
    now = now or timezone.now()
    past_due = task.status == TaskStatus.OPEN and now > task.deadline
    rows = (
        parts_for(user, task)
        .select_related("grid__community")
        .annotate(
            n_total=Count("items"),
            n_done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            n_na=Count("items", filter=Q(items__status=ItemStatus.NA)),
        )
        .order_by("grid_code")
    )
    total = Tally(code="", name=_("合计"))
    communities: dict[str, Tally] = {}
    grids: list[Tally] = []
    for part in rows:
        community = part.grid.community
        tally = Tally(
            code=part.grid_code,
            name=part.grid.name,
            total=part.n_total,
            done=part.n_done,
            na=part.n_na,
            grids=1,
        )
        tally.overdue = past_due and not tally.complete
        grids.append(tally)
        group = communities.setdefault(
            community.code, Tally(code=community.code, name=community.short_name or community.name)
        )
        for bucket in (group, total):
            bucket.total += tally.total
            bucket.done += tally.done
            bucket.na += tally.na
            bucket.grids += 1
            bucket.overdue = bucket.overdue or tally.overdue
        group.rows.append(tally)
    return Completion(total=total, communities=list(communities.values()), grids=grids)


def hours_per_day() -> float:
    return sum(p.seconds for p in work_periods()) / 3600


def deadline_text(task: GridTask, now: datetime | None = None) -> str:
    """剩余 N 个工作日 / 剩余 N 个工作小时 / 已超期, counted in working time."""
    now = now or timezone.now()
    if now > task.deadline:
        return _("已超期")
    left = working_hours_between(now, task.deadline)
    per_day = hours_per_day()
    if left >= per_day:
        return _("剩余 %(n)s 个工作日") % {"n": math.floor(left / per_day)}
    return _("剩余 %(n)s 个工作小时") % {"n": max(1, math.ceil(left))}


def task_state(task: GridTask, now: datetime | None = None) -> Any:
    if task.status != TaskStatus.OPEN:
        return None
    return deadline_state(task.deadline, now, started=task.created_at)


# --- issuing ----------------------------------------------------------------------------------


def _clean_key(client_key: str) -> str:
    client_key = (client_key or "").strip()
    if len(client_key) > CLIENT_KEY_MAX:
        raise _fail("client_key", _("客户端标识不能超过 64 个字符"))
    return client_key


def target_grids(actor: User, *, grid_ids: Iterable[Any] = (), region_code: str = "") -> list[Grid]:
    """The current grids named by ``grid_ids`` and/or every grid of ``region_code`` (a
    community, a street, a district). Each must lie in ``actor``'s jurisdiction."""
    ids: list[int] = []
    for raw in grid_ids or ():
        try:
            ids.append(int(raw))
        except (TypeError, ValueError) as exc:
            raise _fail("grids", _("所选网格不存在")) from exc
    region_code = (region_code or "").strip()
    found: dict[int, Grid] = {}
    if ids:
        rows = Grid.objects.current().filter(pk__in=ids).select_related("community")
        found.update({g.pk: g for g in rows})
        if len(found) != len(set(ids)):
            raise _fail("grids", _("所选网格不存在或已停用"))
    if region_code:
        region = Region.objects.filter(code=region_code, retired_on__isnull=True).first()
        if region is None or region.level not in ("community", "street", "district"):
            raise _fail("region", _("所选社区或街道不存在"))
        if not actor.in_scope(region.code, reads="ledgers"):
            raise _fail(
                "region",
                _("%(name)s 不在您的管辖范围内,不能向其下发任务") % {"name": region.name},
            )
        for grid in Grid.objects.current().filter(code__startswith=region.code):
            found.setdefault(grid.pk, grid)
    if not found:
        raise _fail("grids", _("请选择任务下发的网格、社区或街道"))
    for grid in sorted(found.values(), key=lambda g: g.code):
        if not actor.in_scope(grid.code, reads="ledgers"):
            raise _fail(
                "grids",
                _("网格 %(name)s(%(code)s)不在您的管辖范围内,不能向其下发任务")
                % {"name": grid.name, "code": grid.code},
            )
    return sorted(found.values(), key=lambda g: g.code)


def task_deadline(
    *, days: int | None = None, on: date | None = None, now: datetime | None = None
) -> datetime:
    """``days`` working days from now (close of business of the last one), or close of
    business of the date ``on``; a deadline already past is refused."""
    now = now or timezone.now()
    if days is not None and on is not None:
        raise _fail("deadline_days", _("完成时限请只填工作日数或截止日期中的一项"))
    if days is not None:
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            raise _fail("deadline_days", _("工作日数应在 1 到 60 之间"))
        return add_working_time(now, days, WorkUnit.DAYS)
    if on is not None:
        zone = timezone.get_default_timezone()
        due = datetime.combine(on, work_periods()[-1].end, tzinfo=zone)
        if due <= now:
            raise _fail("deadline_date", _("截止日期不能早于今天下班时间"))
        if due > now + timedelta(days=366):
            raise _fail("deadline_date", _("截止日期不能晚于一年以后"))
        return due
    raise _fail("deadline_days", _("请填写完成时限(工作日数或截止日期)"))


def _issuer_code(actor: User, grids: list[Grid]) -> str:
    """The issuer's own unit that contains every target (the longest such scope code)."""
    fitting = [c for c in actor.scope_codes if all(g.code.startswith(c) for g in grids)]
    if fitting:
        return max(fitting, key=len)
    # A superuser or an issuer with several units: the targets' common prefix at a division level.
    codes = [g.code for g in grids]
    common = codes[0]
    for code in codes[1:]:
        while not code.startswith(common):
            common = common[:-1]
    for length in (15, 12, 9, 6):
        if len(common) >= length:
            return common[:length]
    return ""


def _label(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p)[:LABEL_MAX]


def _checklist_items(task: GridTask, parts: dict[str, TaskPart]) -> list[TaskItem]:
    """One item per building / household / rented dwelling of each target grid (current
    ledger rows only), or one item per grid when the task has no list."""
    from civicgrid.registry.choices import Occupancy
    from civicgrid.registry.models import Building, Dwelling, Household

    codes = list(parts)
    items: list[TaskItem] = []

    def add(code: str, label: str, **links: Any) -> None:
        part = parts[code]
        items.append(
            TaskItem(task=task, part=part, grid_code=code, label=label or _("(无名称)"), **links)
        )

    if task.checklist == ChecklistKind.NONE:
        for code in codes:
            add(code, task.title[:LABEL_MAX])
    elif task.checklist == ChecklistKind.BUILDING:
        for building in Building.objects.filter(
            grid_code__in=codes, retired_on__isnull=True
        ).order_by("grid_code", "address", "pk"):
            add(building.grid_code, _label(building.name, building.address), building=building)
    elif task.checklist == ChecklistKind.HOUSEHOLD:
        for household in (
            Household.objects.filter(grid_code__in=codes, retired_on__isnull=True)
            .select_related("dwelling__building")
            .order_by("grid_code", "dwelling__building__address", "dwelling__room", "pk")
        ):
            dwelling = household.dwelling
            add(
                household.grid_code,
                _label(dwelling.building.address, dwelling, household.number),
                household=household,
                dwelling=dwelling,
                building_id=dwelling.building_id,
            )
    elif task.checklist == ChecklistKind.RENTAL:
        # What marks a rental in the ledger: the dwelling's occupancy 出租 (registry.Dwelling).
        for dwelling in (
            Dwelling.objects.filter(
                grid_code__in=codes, retired_on__isnull=True, occupancy=Occupancy.RENTED
            )
            .select_related("building")
            .order_by("grid_code", "building__address", "unit", "room", "pk")
        ):
            add(
                dwelling.grid_code,
                _label(dwelling.building.address, dwelling),
                dwelling=dwelling,
                building_id=dwelling.building_id,
            )
    return items


def _check_attachments(files: list[Any]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise _fail("attachments", _("附件最多 5 个"))
    for upload in files:
        name = os.path.basename(getattr(upload, "name", "") or "")
        ext = os.path.splitext(name)[1].lower()
        if ext not in ATTACHMENT_TYPES:
            raise _fail(
                "attachments",
                _("附件 %(name)s 的类型不支持(可上传 PDF、Word、Excel、WPS、文本或图片)")
                % {"name": name},
            )
        if (getattr(upload, "size", 0) or 0) > ATTACHMENT_MAX_BYTES:
            raise _fail("attachments", _("附件 %(name)s 超过 20 MB") % {"name": name})


def _workers_of(codes: Iterable[str]) -> list[User]:
    """Active grid workers assigned to these grids now."""
    ids = Scope.objects.filter(
        code__in=list(codes),
        retired_on__isnull=True,
        user__role=Role.GRID_WORKER,
        user__is_active=True,
    ).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def task_url(task: GridTask) -> str:
    return reverse("fieldwork:task_detail", args=[task.pk])


def task_issue(
    *,
    actor: User,
    title: str,
    instructions: str = "",
    grid_ids: Iterable[Any] = (),
    region_code: str = "",
    deadline_days: int | None = None,
    deadline_date: date | None = None,
    checklist: str = ChecklistKind.NONE,
    needs_photo: bool = False,
    needs_location: bool = False,
    attachments: list[Any] | None = None,
    client_key: str = "",
) -> tuple[GridTask, bool]:
    """Issue a task to grids of ``actor``'s jurisdiction with its checklist; ``(task,
    created)``. All or nothing: bad input raises a Chinese ValidationError per field and
    writes no row."""
    if not getattr(actor, "is_authenticated", False) or (
        actor.role not in ISSUERS and not actor.is_superuser
    ):
        raise PermissionDenied(_("您的角色不能下发任务"))
    client_key = _clean_key(client_key)
    if client_key:
        existing = GridTask.objects.filter(issuer=actor, client_key=client_key).first()
        if existing is not None:
            return existing, False
    title = (title or "").strip()
    instructions = (instructions or "").strip()
    if not title:
        raise _fail("title", _("请填写任务名称"))
    if len(title) > TITLE_MAX:
        raise _fail("title", _("任务名称不能超过 100 个字"))
    if len(instructions) > INSTRUCTIONS_MAX:
        raise _fail("instructions", _("任务要求不能超过 4000 个字"))
    if checklist not in ChecklistKind.values:
        raise _fail("checklist", _("未知的清单类型"))
    files = list(attachments or [])
    _check_attachments(files)
    deadline = task_deadline(days=deadline_days, on=deadline_date)
    grids = target_grids(actor, grid_ids=grid_ids, region_code=region_code)
    now = timezone.now()
    try:
        with transaction.atomic():
            task = GridTask.objects.create(
                title=title,
                instructions=instructions,
                issuer=actor,
                region_code=_issuer_code(actor, grids),
                deadline=deadline,
                needs_photo=bool(needs_photo),
                needs_location=bool(needs_location),
                checklist=checklist,
                created_at=now,
                client_key=client_key,
            )
            parts = TaskPart.objects.bulk_create(
                [TaskPart(task=task, grid=g, grid_code=g.code) for g in grids]
            )
            TaskItem.objects.bulk_create(
                _checklist_items(task, {p.grid_code: p for p in parts}), batch_size=1000
            )
            for index, upload in enumerate(files, start=1):
                name = os.path.basename(upload.name)[:120]
                attachment = TaskAttachment(
                    task=task,
                    name=name,
                    size=getattr(upload, "size", 0) or 0,
                    uploaded_by=actor,
                    uploaded_at=now,
                )
                ext = os.path.splitext(name)[1].lower()
                attachment.file.save(f"{index}{ext}", upload, save=False)
                attachment.save()
            _notify_issued(task, [g.code for g in grids])
    except IntegrityError:
        existing = GridTask.objects.filter(issuer=actor, client_key=client_key).first()
        if client_key and existing is not None:
            return existing, False
        raise
    return task, True


def _notify_issued(task: GridTask, codes: list[str]) -> None:
    from civicgrid.notifications.services import notify

    notify(
        recipients=_workers_of(codes),
        kind="task",
        title=_("新任务:%(title)s") % {"title": task.title},
        body=_("完成时限:%(due)s") % {"due": f"{timezone.localtime(task.deadline):%Y-%m-%d %H:%M}"},
        url=task_url(task),
        target=task,
        dedupe_key=f"task:{task.pk}:issued",
    )


def _end(task: GridTask, actor: User, status: str, reason: str) -> GridTask:
    if not can_manage(actor, task):
        raise PermissionDenied(_("只有下发单位可以办结或撤回任务"))
    now = timezone.now()
    # Compare-and-set: two clicks, or a close racing a withdraw, end the task once.
    changed = GridTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=status, ended_at=now, ended_by=actor, end_reason=reason
    )
    if not changed:
        raise _fail("status", _(ENDED))
    task.refresh_from_db()
    return task


def task_withdraw(*, task: GridTask, actor: User, reason: str) -> GridTask:
    """Withdraw (撤回) an open task with a reason; its items and ticks are kept."""
    reason = (reason or "").strip()
    if not reason:
        raise _fail("reason", _("请填写撤回原因"))
    if len(reason) > REASON_MAX:
        raise _fail("reason", _("撤回原因不能超过 200 个字"))
    return _end(task, actor, TaskStatus.WITHDRAWN, reason)


def task_close(*, task: GridTask, actor: User, note: str = "") -> GridTask:
    """Close (办结) an open task; items still to do stay as they are, visible as such."""
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise _fail("note", _("办结说明不能超过 200 个字"))
    return _end(task, actor, TaskStatus.CLOSED, note)


# --- the field ----------------------------------------------------------------------------------


def _check_position(lat: float | None, lng: float | None) -> None:
    if (lat is None) != (lng is None):
        raise _fail("lat", _("经纬度须同时填写"))
    if lat is not None and not (-90 <= lat <= 90 and math.isfinite(lat)):
        raise _fail("lat", _("纬度应在 -90 到 90 之间"))
    if lng is not None and not (-180 <= lng <= 180 and math.isfinite(lng)):
        raise _fail("lng", _("经度应在 -180 到 180 之间"))


def item_tick(
    *,
    item: TaskItem,
    actor: User,
    status: str,
    note: str = "",
    lat: float | None = None,
    lng: float | None = None,
    photo: Any = None,
    client_key: str = "",
) -> tuple[TaskItem, bool]:
    """Mark an item done or not applicable (with a reason); ``(item, changed)``. A repeat with
    the same ``client_key`` answers the item as the first tick left it and changes nothing.
    The task's evidence flags are enforced for 已完成: a photo, a position."""
    from civicgrid.cases.photos import PHOTO_FORMATS, photo_validate

    if not can_tick(actor):
        raise PermissionDenied(_("您的角色不能办理任务事项"))
    client_key = _clean_key(client_key)
    if client_key:
        seen = _ticked(actor, client_key, item)
        if seen is not None:
            return seen, False
    # Writes check the scope of the object they touch, not only the URL's (rule 8).
    if not actor.in_scope(item.grid_code, reads="ledgers"):
        raise _fail("item", _(OUT_OF_SCOPE))
    task = item.task
    if task.status != TaskStatus.OPEN:
        raise _fail("status", _(ENDED))
    if status not in DONE_STATES:
        raise _fail("status", _("请选择“已完成”或“不适用”"))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _fail("note", _("说明不能超过 200 个字"))
    if status == ItemStatus.NA and not note:
        raise _fail("note", _("请填写不适用的原因"))
    _check_position(lat, lng)
    upload = decode_photo(photo)
    fmt = photo_validate(upload) if upload is not None else None
    if status == ItemStatus.DONE:
        if task.needs_photo and upload is None and not item.photo:
            raise _fail("photo", _("本任务要求拍摄现场照片,请拍照后再提交"))
        if task.needs_location and lat is None:
            raise _fail("lat", _("本任务要求定位,请开启手机定位后再提交"))
    now = timezone.now()
    try:
        with transaction.atomic():
            item.status = status
            item.note = note
            item.done_by = actor
            item.done_at = now
            item.client_key = client_key
            if lat is not None:
                item.lat, item.lng = lat, lng
            if upload is not None and fmt is not None:
                stem = f"{timezone.localtime(now):%Y%m%d%H%M%S}.{PHOTO_FORMATS[fmt]}"
                item.photo.save(stem, upload, save=False)
            TaskTick.objects.create(
                item=item,
                by=actor,
                status=status,
                note=note,
                at=now,
                lat=lat,
                lng=lng,
                client_key=client_key,
            )
            item.save()
    except IntegrityError:
        # Two copies of one queued tick arrived together: the first one stored wins.
        seen = _ticked(actor, client_key, item) if client_key else None
        if seen is not None:
            return seen, False
        raise
    return item, True


def _ticked(actor: User, client_key: str, item: TaskItem) -> TaskItem | None:
    """The item as it stands if ``actor`` already sent this tick (the outbox resending it)."""
    earlier = TaskTick.objects.filter(by=actor, client_key=client_key).first()
    if earlier is None:
        return None
    if earlier.item_id != item.pk:
        raise _fail("client_key", _("该客户端标识已用于另一事项"))
    return TaskItem.objects.select_related("task", "part", "done_by").get(pk=item.pk)


def item_add(
    *, task: GridTask, actor: User, label: str, grid_code: str = "", client_key: str = ""
) -> tuple[TaskItem, bool]:
    """A free item the worker adds to their grid's part (e.g. a blocked passage found);
    ``(item, created)``, once per ``client_key``."""
    if not can_tick(actor):
        raise PermissionDenied(_("您的角色不能添加任务事项"))
    client_key = _clean_key(client_key)
    if client_key:
        earlier = TaskItem.objects.filter(added_by=actor, add_key=client_key).first()
        if earlier is not None:
            return earlier, False
    if task.status != TaskStatus.OPEN:
        raise _fail("status", _(ENDED))
    label = (label or "").strip()
    if not label:
        raise _fail("label", _("请填写事项内容"))
    if len(label) > LABEL_MAX:
        raise _fail("label", _("事项内容不能超过 200 个字"))
    parts = list(parts_for(actor, task))
    if grid_code:
        parts = [p for p in parts if p.grid_code == grid_code]
    if not parts:
        raise _fail("grid", _("您负责的网格不在此任务范围内"))
    if len(parts) > 1:
        raise _fail("grid", _("请选择事项所在的网格"))
    part = parts[0]
    try:
        with transaction.atomic():
            item = TaskItem.objects.create(
                task=task,
                part=part,
                grid_code=part.grid_code,
                label=label,
                added_by=actor,
                add_key=client_key,
            )
    except IntegrityError:
        earlier = TaskItem.objects.filter(added_by=actor, add_key=client_key).first()
        if client_key and earlier is not None:
            return earlier, False
        raise
    return item, True


# --- reminders ------------------------------------------------------------------------------


def _unfinished_codes(task: GridTask) -> list[str]:
    """Grids of the task with an item still to do (one grouped query)."""
    return list(
        TaskItem.objects.filter(task=task, status=ItemStatus.TODO)
        .values_list("grid_code", flat=True)
        .distinct()
        .order_by("grid_code")
    )


def _remind(task: GridTask, *, key: str, title: str) -> int:
    from civicgrid.notifications.services import notify

    codes = _unfinished_codes(task)
    if not codes:
        return 0
    return notify(
        recipients=_workers_of(codes),
        kind="task",
        title=title,
        body=_("完成时限:%(due)s") % {"due": f"{timezone.localtime(task.deadline):%Y-%m-%d %H:%M}"},
        url=task_url(task),
        target=task,
        dedupe_key=key,
    )


def task_remind(*, task: GridTask, actor: User, now: datetime | None = None) -> int:
    """The issuer's 催办: tell the workers of grids with items still to do. Once a day per
    task (a second click the same day tells nobody again)."""
    if not can_manage(actor, task):
        raise PermissionDenied(_("只有下发单位可以催办"))
    if task.status != TaskStatus.OPEN:
        raise _fail("status", _(ENDED))
    day = timezone.localdate(now or timezone.now())
    return _remind(
        task,
        key=f"task:{task.pk}:remind:{day.isoformat()}",
        title=_("催办:请尽快完成任务“%(title)s”") % {"title": task.title},
    )


def _previous_workday(day: date) -> date:
    for _n in range(366):
        day -= timedelta(days=1)
        if is_workday(day):
            return day
    return day


def task_remind_due(now: datetime | None = None) -> int:
    """The daily reminder (idempotent, safe to run any number of times and in parallel): the
    workers of grids with items still to do are told once from one working day before the
    deadline, and once after it has passed. Returns the number of messages sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    open_tasks = GridTask.objects.filter(
        status=TaskStatus.OPEN, deadline__gte=now - timedelta(days=30)
    ).order_by("pk")
    for task in open_tasks:
        due_day = timezone.localdate(task.deadline)
        if now > task.deadline:
            sent += _remind(
                task,
                key=f"task:{task.pk}:overdue",
                title=_("任务已超期:%(title)s") % {"title": task.title},
            )
        elif today >= _previous_workday(due_day):
            sent += _remind(
                task,
                key=f"task:{task.pk}:due-soon",
                title=_("任务即将到期:%(title)s") % {"title": task.title},
            )
    return sent


# --- the work log ---------------------------------------------------------------------------


def worklog_entries(
    *,
    workers: Iterable[Any] | None = None,
    grid_prefix: str | None = None,
    start: datetime,
    end: datetime,
) -> Iterator[dict[str, Any]]:
    """Task items done in ``[start, end)`` for the work log (民情日志), oldest first:
    ``{"at", "kind": "task_item", "worker_id", "grid_code", "title", "url"}``. The caller
    narrows ``workers`` / ``grid_prefix`` to what its reader may see."""
    rows = TaskItem.objects.filter(
        done_at__gte=start, done_at__lt=end, done_by__isnull=False
    ).exclude(status=ItemStatus.TODO)
    if workers is not None:
        rows = rows.filter(done_by__in=[getattr(w, "pk", w) for w in workers])
    if grid_prefix:
        rows = rows.filter(grid_code__startswith=grid_prefix)
    for at, worker_id, code, label, status, task_id in rows.order_by("done_at", "pk").values_list(
        "done_at", "done_by_id", "grid_code", "label", "status", "task_id"
    ):
        verb = _("完成任务事项") if status == ItemStatus.DONE else _("任务事项不适用")
        yield {
            "at": at,
            "kind": "task_item",
            "worker_id": worker_id,
            "grid_code": code,
            "title": f"{verb}:{label}",
            "url": reverse("fieldwork:task_detail", args=[task_id]),
            "target": ("fieldwork.GridTask", task_id),
        }
