"""Grid tasks for the demo city (called at the end of ``demo.build_fieldwork``): a street-wide
出租房核查 with one item per rented dwelling, partly done across the grids; a community
消防通道清理 with free items the workers added, the demo ``gridworker`` still having some to
photograph; and one task closed last week. Issued through ``tasks.task_issue`` (so scope and
checklists are the real ones), then back-dated and partly ticked as the workers would have."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.core.worktime import WorkUnit, add_working_time
from civicgrid.fieldwork.models import (
    ChecklistKind,
    GridTask,
    ItemStatus,
    TaskItem,
    TaskPart,
    TaskStatus,
    TaskTick,
)
from civicgrid.fieldwork.tasks import task_issue

FIRE_LANE_ITEMS = [
    "1 栋 2 单元楼道堆放纸箱",
    "3 栋消防通道停放电动车",
    "小区东门消防通道有杂物",
    "5 栋地下室入口堆放旧家具",
]
NA_REASONS = ["房屋已空置,无人居住", "已改为自住,不再出租", "房屋已拆除"]


def _workers_by_grid() -> dict[str, User]:
    rows = Scope.objects.filter(
        retired_on__isnull=True, user__role=Role.GRID_WORKER
    ).select_related("user")
    return {s.code: s.user for s in rows.order_by("user_id")}


def _backdate(task: GridTask, created: datetime, days: int) -> None:
    task.created_at = created
    task.deadline = add_working_time(created, days, WorkUnit.DAYS)
    GridTask.objects.filter(pk=task.pk).update(created_at=created, deadline=task.deadline)


def _tick_share(
    task: GridTask,
    rng: random.Random,
    workers: dict[str, User],
    *,
    share_of: dict[str, float],
    since: datetime,
    now: datetime,
) -> int:
    """Mark about ``share_of[grid_code]`` of each grid's items handled by its worker, at
    working hours between ``since`` and now; a few are 不适用 with a reason."""
    items = list(TaskItem.objects.filter(task=task).select_related("building").order_by("pk"))
    changed: list[TaskItem] = []
    ticks: list[TaskTick] = []
    span = max((now - since).total_seconds(), 3600.0)
    for item in items:
        worker = workers.get(item.grid_code)
        if worker is None or rng.random() >= share_of.get(item.grid_code, 0):
            continue
        at = since + timedelta(seconds=rng.uniform(0, span))
        at = at.replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
        at = min(at, now - timedelta(minutes=5))
        na = rng.random() < 0.08
        item.status = ItemStatus.NA if na else ItemStatus.DONE
        item.note = rng.choice(NA_REASONS) if na else ""
        item.done_by = worker
        item.done_at = at
        if task.needs_location and item.building is not None and not na:
            item.lat, item.lng = item.building.lat, item.building.lng
        changed.append(item)
        ticks.append(
            TaskTick(
                item=item,
                by=worker,
                status=item.status,
                note=item.note,
                at=at,
                lat=item.lat,
                lng=item.lng,
            )
        )
    TaskItem.objects.bulk_update(
        changed, ["status", "note", "done_by", "done_at", "lat", "lng"], batch_size=500
    )
    TaskTick.objects.bulk_create(ticks, batch_size=500)
    return len(changed)


def build_tasks(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    rng = random.Random(city.rng.randint(0, 2**31))
    now = timezone.now()
    workers = _workers_by_grid()
    command = User.objects.filter(username="command").first()
    secretary = User.objects.filter(username="secretary").first()
    demo_worker = User.objects.filter(username="gridworker").first()
    if command is None or secretary is None:
        return {"tasks": 0, "items": 0}
    street, community = city.streets[0], city.communities[0]

    # 1. The street's 出租房核查: one item per rented dwelling, issued four working days ago.
    rentals, _ = task_issue(
        actor=command,
        title="出租房屋安全隐患核查",
        instructions=(
            "对辖区内全部出租房屋逐户核查:承租人登记、消防器材、燃气管道、电动车充电。"
            "发现隐患当场告知出租人整改,重大隐患上报事件。"
        ),
        region_code=street.code,
        deadline_days=5,
        checklist=ChecklistKind.RENTAL,
        needs_location=True,
    )
    issued = now - timedelta(days=6)
    _backdate(rentals, issued, 8)
    codes = list(TaskPart.objects.filter(task=rentals).values_list("grid_code", flat=True))
    shares = {code: rng.choice([0.2, 0.45, 0.6, 0.8, 0.95, 1.0]) for code in codes}
    if demo_worker is not None:
        for code in demo_worker.scope_codes:
            shares[code] = 0.5  # half left for the demo worker to tick on the phone
    done = _tick_share(rentals, rng, workers, share_of=shares, since=issued, now=now)

    # 2. The community's 消防通道清理: free items the workers found, photos required.
    lanes, _ = task_issue(
        actor=secretary,
        title="消防通道清理",
        instructions="清理楼道、消防通道堆放的杂物和停放的电动车,清理前后拍照留存。",
        region_code=community.code,
        deadline_days=3,
        checklist=ChecklistKind.FREE,
        needs_photo=True,
    )
    lanes_issued = now - timedelta(days=1)
    _backdate(lanes, lanes_issued, 3)
    for part in TaskPart.objects.filter(task=lanes).order_by("grid_code"):
        worker = workers.get(part.grid_code)
        for label in rng.sample(FIRE_LANE_ITEMS, k=rng.randint(2, len(FIRE_LANE_ITEMS))):
            TaskItem.objects.create(
                task=lanes,
                part=part,
                grid_code=part.grid_code,
                label=label,
                added_by=worker,
                created_at=lanes_issued + timedelta(hours=rng.uniform(1, 5)),
            )
    lane_codes = list(TaskPart.objects.filter(task=lanes).values_list("grid_code", flat=True))
    lane_shares = {code: 0.5 for code in lane_codes}
    if demo_worker is not None:
        for code in demo_worker.scope_codes:
            lane_shares[code] = 0.0  # the demo worker photographs theirs
    # Done ones in the demo carry no photo file: they were "ticked" before photos were asked.
    lanes.needs_photo = False
    done += _tick_share(lanes, rng, workers, share_of=lane_shares, since=lanes_issued, now=now)

    # 3. Closed last week: 燃气安全入户宣传, one item per building of the community.
    gas, _ = task_issue(
        actor=secretary,
        title="燃气安全入户宣传",
        instructions="每栋楼张贴燃气安全告知书,向住户讲解燃气泄漏应急处置。",
        region_code=community.code,
        deadline_days=5,
        checklist=ChecklistKind.BUILDING,
    )
    gas_issued = now - timedelta(days=21)
    _backdate(gas, gas_issued, 5)
    gas_codes = list(TaskPart.objects.filter(task=gas).values_list("grid_code", flat=True))
    done += _tick_share(
        gas,
        rng,
        workers,
        share_of=dict.fromkeys(gas_codes, 1.0),
        since=gas_issued,
        now=gas.deadline,
    )
    GridTask.objects.filter(pk=gas.pk).update(
        status=TaskStatus.CLOSED,
        ended_at=gas.deadline,
        ended_by=secretary,
        end_reason="各楼栋均已张贴告知书并完成宣传",
    )
    counts = {"tasks": 3, "items": TaskItem.objects.count(), "done": done}
    if stdout is not None:
        stdout.write(f"网格任务:{counts['tasks']} 个,事项 {counts['items']} 项,已办 {done} 项\n")
    return counts
