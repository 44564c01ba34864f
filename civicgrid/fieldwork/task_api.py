"""Grid-task API (/api/v1/fieldwork/tasks): list and read tasks, issue one, tick an item
(idempotent on ``client_key``: the phone's offline outbox resends it), add a free item, close,
withdraw, remind, and completion per grid and community.

The same services as the pages (``fieldwork.tasks``); a task or an item named in a URL comes
from ``access_task`` / ``access_item`` (404 out of scope, docs/architecture.md "One way in").
A ValidationError of a service is answered 422 with its Chinese message, PermissionDenied 403
(config.api's handlers), as every operation declares.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from civicgrid.accounts.choices import LEDGER_READERS
from civicgrid.accounts.models import User
from civicgrid.core.limits import body_limit
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.schemas import errors
from civicgrid.fieldwork import tasks
from civicgrid.fieldwork.models import ChecklistKind, ItemStatus, TaskStatus
from civicgrid.fieldwork.photos import PHOTO_B64_MAX
from civicgrid.fieldwork.presenters import present_attachment, present_item, present_task

task_router = Router(tags=["fieldwork-tasks"])

MAX_PK = 2**63 - 1
SMALL_BODY_BYTES = 64 * 1024
# A tick may carry one photo as base64 (the phone shrinks it to about 1600 px first).
TICK_BODY_BYTES = 13 * 1024 * 1024
TASK_READERS = LEDGER_READERS


class TaskOut(Schema):
    id: int
    title: str
    instructions: str
    issuer: str
    region_code: str
    created_at: datetime
    deadline: datetime
    deadline_text: str = Field(description="剩余 N 个工作日 / 已超期(按工作时间)")
    deadline_state: str = Field(description="on_time / due_soon / overdue;已办结或撤回时为空")
    needs_photo: bool
    needs_location: bool
    checklist: str = Field(description="none / building / household / rental / free")
    status: str = Field(description="open 进行中、closed 已办结、withdrawn 已撤回")
    status_label: str
    ended_at: datetime | None
    end_reason: str
    total: int | None = Field(None, description="本人可见部分的事项数(列表中)")
    done: int | None = Field(None, description="本人可见部分已办理(已完成或不适用)的事项数")
    can_manage: bool
    can_tick: bool
    url: str


class TaskPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[TaskOut]


class AttachmentOut(Schema):
    id: int
    name: str
    size_kb: int
    url: str


class TallyOut(Schema):
    code: str
    name: str
    total: int
    done: int
    na: int
    finished: int
    percent: int
    overdue: bool


class CompletionOut(Schema):
    total: TallyOut
    communities: list[TallyOut]
    grids: list[TallyOut]


class TaskDetailOut(TaskOut):
    attachments: list[AttachmentOut]
    completion: CompletionOut


class ItemOut(Schema):
    id: int
    task_id: int
    grid_code: str
    label: str
    status: str = Field(description="todo 待办、done 已完成、na 不适用")
    status_label: str
    note: str
    done_by: str
    done_at: datetime | None
    located: bool
    photo_url: str = Field(description="现场照片(经权限检查的地址);没有时为空")
    free: bool


class ItemPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemOut]


class TaskFilter(Schema):
    status: str = Field("open", max_length=12, description="open / closed / withdrawn / all")
    page: int = Field(1, ge=1, le=100000)


class ItemFilter(Schema):
    grid: str = Field("", max_length=15, description="网格编码(不填为本人可见的全部)")
    page: int = Field(1, ge=1, le=100000)


class TaskIn(Schema):
    title: str = Field(max_length=tasks.TITLE_MAX, description="任务名称")
    instructions: str = Field("", max_length=tasks.INSTRUCTIONS_MAX, description="任务要求")
    grids: list[Annotated[int, Field(ge=1, le=MAX_PK)]] = Field(
        default_factory=list, max_length=2000, description="下发的网格编号(本人管辖范围内)"
    )
    region: str = Field(
        "", max_length=12, description="下发到社区/街道/区的全部网格(区划代码,本人管辖范围内)"
    )
    deadline_days: int | None = Field(None, ge=1, le=60, description="完成时限(工作日数)")
    deadline_date: date | None = Field(None, description="或截止日期(当日下班时间)")
    checklist: str = Field(
        ChecklistKind.NONE,
        max_length=12,
        description="none 每网格一项、building 每栋楼、household 每户、rental 每套出租房、"
        "free 网格员自行添加",
    )
    needs_photo: bool = False
    needs_location: bool = False
    client_key: str = Field("", max_length=64, description="客户端唯一标识;重复提交不重复下发")


class TickIn(Schema):
    status: str = Field(max_length=4, description="done 已完成、na 不适用(须填原因)")
    note: str = Field("", max_length=tasks.NOTE_MAX, description="说明;不适用时为原因")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    photo: str = Field(
        "",
        max_length=PHOTO_B64_MAX,
        description="现场照片:base64 或 data:image/jpeg;base64,... (JPG/PNG/WebP)",
    )
    client_key: str = Field(
        "", max_length=64, description="手机端生成的唯一标识;同一标识重复提交返回同一结果"
    )


class ItemAddIn(Schema):
    label: str = Field(max_length=tasks.LABEL_MAX, description="事项内容")
    grid: str = Field("", max_length=15, description="网格编码(负责多个网格时必填)")
    client_key: str = Field("", max_length=64)


class CloseIn(Schema):
    note: str = Field("", max_length=tasks.REASON_MAX, description="办结说明")


class WithdrawIn(Schema):
    reason: str = Field(max_length=tasks.REASON_MAX, description="撤回原因(必填)")


class RemindOut(Schema):
    sent: int = Field(description="收到催办的网格员人数(同一天重复催办不重复发送)")


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _detail(request: HttpRequest, task: Any) -> dict[str, Any]:
    completion = tasks.task_completion(request.user, task)
    return {
        **present_task(task, user=request.user),
        "attachments": [present_attachment(a) for a in task.attachments.all()],
        "completion": {
            "total": completion.total.as_dict(),
            "communities": [c.as_dict() for c in completion.communities],
            "grids": [g.as_dict() for g in completion.grids],
        },
    }


def _manageable(request: HttpRequest, pk: int) -> Any:
    task = tasks.access_task(request.user, pk)
    if not tasks.can_manage(request.user, task):
        raise HttpError(403, "只有下发单位可以办结、撤回或催办任务")
    return task


@task_router.get(
    "/",
    response={200: TaskPageOut, **errors(422)},
    summary="任务列表(网格员:本人网格的任务及进度;下发单位:管辖范围内的任务;分页)",
    auth=policy(roles=TASK_READERS, scope=LIST).api,
)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    status = filters.status
    if status not in TaskStatus.values and status != "all":
        raise HttpError(422, "状态应为 open、closed、withdrawn 或 all")
    page = paginate(
        request, tasks.tasks_for(request.user, status="" if status == "all" else status)
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_task(t, user=request.user) for t in page.object_list],
    }


@task_router.post(
    "/",
    response={200: TaskDetailOut, 201: TaskDetailOut, **errors(403, 413, 422)},
    summary="下发任务(目标网格须全部在本人管辖范围内;同一客户端标识重复提交不重复下发)",
    auth=policy(roles=tasks.ISSUERS, scope=NONE).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def issue_task(request: HttpRequest, payload: TaskIn) -> Status:
    if payload.checklist not in ChecklistKind.values:
        raise HttpError(422, "未知的清单类型")
    task, created = tasks.task_issue(
        actor=_me(request),
        title=payload.title,
        instructions=payload.instructions,
        grid_ids=payload.grids,
        region_code=payload.region,
        deadline_days=payload.deadline_days,
        deadline_date=payload.deadline_date,
        checklist=payload.checklist,
        needs_photo=payload.needs_photo,
        needs_location=payload.needs_location,
        client_key=payload.client_key,
    )
    return Status(201 if created else 200, _detail(request, task))


@task_router.get(
    "/{pk}",
    response={200: TaskDetailOut, **errors(404)},
    summary="任务详情(含附件与各社区、各网格的完成情况)",
    auth=policy(roles=TASK_READERS, scope=OBJECT).api,
)
def task_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, tasks.access_task(request.user, pk))


@task_router.get(
    "/{pk}/completion",
    response={200: CompletionOut, **errors(404)},
    summary="完成情况:合计、各社区、各网格(每次按事项实时统计)",
    auth=policy(roles=TASK_READERS, scope=OBJECT).api,
)
def task_completion(request: HttpRequest, pk: int) -> dict[str, Any]:
    completion = tasks.task_completion(request.user, tasks.access_task(request.user, pk))
    return {
        "total": completion.total.as_dict(),
        "communities": [c.as_dict() for c in completion.communities],
        "grids": [g.as_dict() for g in completion.grids],
    }


@task_router.get(
    "/{pk}/items",
    response={200: ItemPageOut, **errors(404, 422)},
    summary="任务事项(本人可见的网格;可按网格编码筛选;分页)",
    auth=policy(roles=TASK_READERS, scope=OBJECT).api,
)
def task_items(request: HttpRequest, pk: int, filters: Query[ItemFilter]) -> dict[str, Any]:
    task = tasks.access_task(request.user, pk)
    page = paginate(request, tasks.items_for(request.user, task, grid_code=filters.grid))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [present_item(i) for i in page.object_list],
    }


@task_router.post(
    "/{pk}/items",
    response={200: ItemOut, 201: ItemOut, **errors(403, 404, 413, 422)},
    summary="网格员添加自选事项(同一客户端标识重复提交只添加一次)",
    auth=policy(roles=tasks.TICKERS, scope=OBJECT).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def add_item(request: HttpRequest, pk: int, payload: ItemAddIn) -> Status:
    task = tasks.access_task(request.user, pk)
    item, created = tasks.item_add(
        task=task,
        actor=_me(request),
        label=payload.label,
        grid_code=payload.grid,
        client_key=payload.client_key,
    )
    return Status(201 if created else 200, present_item(item))


@task_router.post(
    "/items/{pk}/tick",
    response={200: ItemOut, **errors(403, 404, 413, 422)},
    summary="办理事项:已完成(按任务要求附照片、定位)或不适用(附原因);"
    "同一客户端标识重复提交返回同一结果、不重复修改",
    auth=policy(roles=tasks.TICKERS, scope=OBJECT).api,
)
@decorate_view(body_limit(TICK_BODY_BYTES))
def tick_item(request: HttpRequest, pk: int, payload: TickIn) -> dict[str, Any]:
    item = tasks.access_item(request.user, pk)
    if payload.status not in (ItemStatus.DONE, ItemStatus.NA):
        raise HttpError(422, "状态应为 done(已完成)或 na(不适用)")
    item, _changed = tasks.item_tick(
        item=item,
        actor=_me(request),
        status=payload.status,
        note=payload.note,
        lat=payload.lat,
        lng=payload.lng,
        photo=payload.photo or None,
        client_key=payload.client_key,
    )
    return present_item(item)


@task_router.post(
    "/{pk}/close",
    response={200: TaskDetailOut, **errors(403, 404, 413, 422)},
    summary="办结任务(下发单位)",
    auth=policy(roles=tasks.ISSUERS, scope=OBJECT).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def close_task(request: HttpRequest, pk: int, payload: CloseIn) -> dict[str, Any]:
    task = tasks.task_close(task=_manageable(request, pk), actor=_me(request), note=payload.note)
    return _detail(request, task)


@task_router.post(
    "/{pk}/withdraw",
    response={200: TaskDetailOut, **errors(403, 404, 413, 422)},
    summary="撤回任务(下发单位,须填原因;事项和办理记录保留)",
    auth=policy(roles=tasks.ISSUERS, scope=OBJECT).api,
)
@decorate_view(body_limit(SMALL_BODY_BYTES))
def withdraw_task(request: HttpRequest, pk: int, payload: WithdrawIn) -> dict[str, Any]:
    task = tasks.task_withdraw(
        task=_manageable(request, pk), actor=_me(request), reason=payload.reason
    )
    return _detail(request, task)


@task_router.post(
    "/{pk}/remind",
    response={200: RemindOut, **errors(403, 404, 422)},
    summary="催办:通知尚未完成的网格的网格员(每个任务每天一次)",
    auth=policy(roles=tasks.ISSUERS, scope=OBJECT).api,
)
def remind_task(request: HttpRequest, pk: int) -> dict[str, Any]:
    return {"sent": tasks.task_remind(task=_manageable(request, pk), actor=_me(request))}
