"""The work log's feed of task items: items handled in [start, end), by worker and grid."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.fieldwork.models import TaskItem
from civicgrid.fieldwork.tasks import worklog_entries
from civicgrid.fieldwork.tests.task_helpers import make_task


@pytest.mark.django_db
def test_entries_in_the_window(city: Any, users: Any) -> None:
    west = city.grids["a1_west"]
    task = make_task(users.secretary, [west], items={west.code: ["todo", "todo", "todo"]})
    now = timezone.now()
    first, second, _third = TaskItem.objects.filter(task=task).order_by("pk")
    TaskItem.objects.filter(pk=first.pk).update(
        status="done", done_by=users.worker, done_at=now - timedelta(hours=2)
    )
    TaskItem.objects.filter(pk=second.pk).update(
        status="na", done_by=users.worker, done_at=now - timedelta(days=3), note="空置"
    )
    rows = list(worklog_entries(workers=[users.worker], start=now - timedelta(days=1), end=now))
    assert rows == [
        {
            "at": now - timedelta(hours=2),
            "kind": "task_item",
            "worker_id": users.worker.pk,
            "grid_code": west.code,
            "title": f"完成任务事项:{first.label}",
            "url": f"/fieldwork/tasks/{task.pk}/",
            # What the log checks the reader may open before linking.
            "target": ("fieldwork.GridTask", task.pk),
        }
    ]
    assert (
        list(worklog_entries(workers=[users.outsider], start=now - timedelta(days=9), end=now))
        == []
    )
    everything = list(
        worklog_entries(grid_prefix=west.code, start=now - timedelta(days=9), end=now)
    )
    assert [r["title"].split(":")[0] for r in everything] == ["任务事项不适用", "完成任务事项"]
