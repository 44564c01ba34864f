"""A task is never deleted: withdrawing needs a reason, closing keeps the items as they were,
only the issuing unit (or the street above it) may do either, and an ended task takes no more
ticks."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicgrid.fieldwork.models import GridTask, TaskItem
from civicgrid.fieldwork.tasks import item_tick, task_close, task_withdraw
from civicgrid.fieldwork.tests.task_helpers import make_task


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_keeps_everything(client: Any, city: Any, users: Any) -> None:
    west = city.grids["a1_west"]
    task = make_task(users.secretary, [west], items={west.code: ["done", "todo"]})
    with pytest.raises(ValidationError) as caught:
        task_withdraw(task=task, actor=users.secretary, reason=" ")
    assert "撤回原因" in " ".join(caught.value.messages)
    client.force_login(users.secretary)
    response = client.post(f"/fieldwork/tasks/{task.pk}/withdraw/", {"reason": "任务重复下发"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.end_reason, task.ended_by) == (
        "withdrawn",
        "任务重复下发",
        users.secretary,
    )
    assert TaskItem.objects.filter(task=task).count() == 2
    item = TaskItem.objects.get(task=task, status="todo")
    with pytest.raises(ValidationError) as refused:
        item_tick(item=item, actor=users.worker, status="done")
    assert "已撤回" in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_only_the_issuing_unit_closes(city: Any, users: Any) -> None:
    west = city.grids["a1_west"]
    task = make_task(users.secretary, [west], items={west.code: ["todo"]})
    with pytest.raises(PermissionDenied):
        task_close(task=task, actor=users.worker)
    closed = task_close(task=task, actor=users.command, note="阶段性完成")
    assert closed.status == "closed"
    with pytest.raises(ValidationError):
        task_close(task=task, actor=users.secretary)  # ends once
    assert GridTask.objects.filter(pk=task.pk, status="closed").exists()


@pytest.mark.django_db
def test_api_close_by_a_worker_is_refused(client: Any, city: Any, users: Any) -> None:
    west = city.grids["a1_west"]
    task = make_task(users.secretary, [west], items={west.code: ["todo"]})
    client.force_login(users.worker)
    response = client.post(
        f"/api/v1/fieldwork/tasks/{task.pk}/close", {}, content_type="application/json"
    )
    assert response.status_code == 403
