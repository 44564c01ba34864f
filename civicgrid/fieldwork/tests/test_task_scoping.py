"""A grid worker sees only their grids' part of a task; an outsider (grid worker of another
street) gets 404 on the task, its items, its attachment and an item's photo, exactly as if
they did not exist (docs/architecture.md "One way in")."""

from typing import Any

import pytest
from django.core.files.base import ContentFile

from civicgrid.fieldwork.models import TaskAttachment, TaskItem
from civicgrid.fieldwork.tests.task_helpers import make_task
from civicgrid.testing.case_pages import png_bytes


@pytest.fixture
def task(city: Any, users: Any) -> Any:
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    task = make_task(
        users.secretary, [west, east], items={west.code: ["todo"], east.code: ["todo", "done"]}
    )
    attachment = TaskAttachment(task=task, name="通知.pdf", size=4, uploaded_by=users.secretary)
    attachment.file.save("1.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    item = TaskItem.objects.get(grid_code=west.code)
    item.photo.save("p.png", ContentFile(png_bytes()), save=True)
    return task


@pytest.mark.django_db
def test_worker_sees_only_their_grids_items(client: Any, city: Any, users: Any, task: Any) -> None:
    client.force_login(users.worker)
    body = client.get(f"/api/v1/fieldwork/tasks/{task.pk}/items").json()
    assert [i["grid_code"] for i in body["items"]] == [city.grids["a1_west"].code]
    page = client.get(f"/fieldwork/tasks/{task.pk}/").content.decode()
    assert "甲一社区1号网格 事项1" in page
    assert "甲一社区2号网格" not in page
    listed = client.get("/api/v1/fieldwork/tasks/").json()["items"]
    assert [(t["id"], t["done"], t["total"]) for t in listed] == [(task.pk, 0, 1)]


@pytest.mark.django_db
def test_outsider_gets_404_everywhere(client: Any, users: Any, task: Any) -> None:
    item = TaskItem.objects.filter(task=task).exclude(photo="").get()
    attachment = task.attachments.get()
    client.force_login(users.outsider)
    for url in (
        f"/fieldwork/tasks/{task.pk}/",
        f"/fieldwork/tasks/{task.pk}/files/{attachment.pk}/",
        f"/fieldwork/tasks/items/{item.pk}/photo/",
        f"/api/v1/fieldwork/tasks/{task.pk}",
        f"/api/v1/fieldwork/tasks/{task.pk}/items",
    ):
        assert client.get(url).status_code == 404, url
    tick = client.post(
        f"/api/v1/fieldwork/tasks/items/{item.pk}/tick",
        {"status": "done"},
        content_type="application/json",
    )
    assert tick.status_code == 404
    assert client.get("/api/v1/fieldwork/tasks/").json()["items"] == []


@pytest.mark.django_db
def test_in_scope_reader_downloads_the_attachment(client: Any, users: Any, task: Any) -> None:
    attachment = task.attachments.get()
    client.force_login(users.worker)
    response = client.get(f"/fieldwork/tasks/{task.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF"
    assert "attachment" in response["Content-Disposition"]
