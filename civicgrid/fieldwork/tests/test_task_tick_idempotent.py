"""The phone's outbox may send one tick twice: the same ``client_key`` gives one change and
the same answer, even if the item was changed in between."""

from typing import Any

import pytest

from civicgrid.fieldwork.models import TaskItem
from civicgrid.fieldwork.tests.task_helpers import make_task


@pytest.mark.django_db
def test_same_tick_twice_changes_once_and_answers_the_same(
    client: Any, city: Any, users: Any
) -> None:
    west = city.grids["a1_west"]
    task = make_task(users.secretary, [west], items={west.code: ["todo"]})
    item = TaskItem.objects.get(task=task)
    client.force_login(users.worker)
    url = f"/api/v1/fieldwork/tasks/items/{item.pk}/tick"
    body = {"status": "done", "note": "已核查", "client_key": "k-1"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 200, first.content
    item.refresh_from_db()
    done_at = item.done_at
    assert item.status == "done" and item.done_by == users.worker

    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 200
    assert again.json() == first.json()
    item.refresh_from_db()
    assert item.done_at == done_at

    # A resend of the old tick after a later change leaves the later change alone.
    client.post(
        url,
        {"status": "na", "note": "已拆除", "client_key": "k-2"},
        content_type="application/json",
    )
    client.post(url, body, content_type="application/json")
    item.refresh_from_db()
    assert (item.status, item.note) == ("na", "已拆除")
    assert item.ticks.count() == 2
