"""Tasks built by hand for the grid-task tests (no services in the way of what is counted)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicgrid.fieldwork.models import (
    ChecklistKind,
    GridTask,
    ItemStatus,
    TaskItem,
    TaskPart,
)


def make_task(
    issuer: Any,
    grids: list[Any],
    *,
    items: dict[str, list[str]] | None = None,
    title: str = "出租房核查",
    deadline: Any = None,
    **extra: Any,
) -> GridTask:
    """A task of ``issuer`` to ``grids``; ``items`` maps a grid code to the statuses of its
    items (``"todo"``, ``"done"``, ``"na"``)."""
    task = GridTask.objects.create(
        title=title,
        issuer=issuer,
        region_code=grids[0].code[:9],
        deadline=deadline or timezone.now() + timedelta(days=7),
        checklist=extra.pop("checklist", ChecklistKind.FREE),
        **extra,
    )
    for grid in grids:
        part = TaskPart.objects.create(task=task, grid=grid, grid_code=grid.code)
        for n, status in enumerate((items or {}).get(grid.code, []), start=1):
            TaskItem.objects.create(
                task=task,
                part=part,
                grid_code=grid.code,
                label=f"{grid.name} 事项{n}",
                status=status,
                done_at=None if status == ItemStatus.TODO else timezone.now(),
            )
    return task
