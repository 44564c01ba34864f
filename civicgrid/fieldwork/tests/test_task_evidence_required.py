"""A task that asks for a photo and/or a position refuses 已完成 without them, in Chinese
(4xx, nothing changed); not applicable needs a reason instead; a photo sent as base64 in the
tick's JSON is stored and served only through the access-checked view."""

import base64
from typing import Any

import pytest

from civicgrid.fieldwork.models import TaskItem
from civicgrid.fieldwork.tests.task_helpers import make_task
from civicgrid.testing.case_pages import png_bytes


@pytest.fixture
def item(city: Any, users: Any) -> TaskItem:
    west = city.grids["a1_west"]
    task = make_task(
        users.secretary,
        [west],
        items={west.code: ["todo"]},
        needs_photo=True,
        needs_location=True,
    )
    return TaskItem.objects.get(task=task)


def _tick(client: Any, item: TaskItem, **body: Any) -> Any:
    return client.post(
        f"/api/v1/fieldwork/tasks/items/{item.pk}/tick", body, content_type="application/json"
    )


@pytest.mark.django_db
def test_missing_photo_or_position_is_refused_in_chinese(
    client: Any, users: Any, item: TaskItem
) -> None:
    client.force_login(users.worker)
    no_photo = _tick(client, item, status="done", lat=26.505, lng=106.705)
    assert no_photo.status_code == 422
    assert "照片" in no_photo.json()["detail"]
    photo = base64.b64encode(png_bytes()).decode()
    no_place = _tick(client, item, status="done", photo=photo)
    assert no_place.status_code == 422
    assert "定位" in no_place.json()["detail"]
    no_reason = _tick(client, item, status="na")
    assert no_reason.status_code == 422
    assert "原因" in no_reason.json()["detail"]
    item.refresh_from_db()
    assert item.status == "todo" and not item.photo


@pytest.mark.django_db
def test_photo_and_position_complete_the_item(client: Any, users: Any, item: TaskItem) -> None:
    client.force_login(users.worker)
    photo = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    done = _tick(client, item, status="done", photo=photo, lat=26.505, lng=106.705)
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "done" and body["located"]
    assert body["photo_url"].startswith("/fieldwork/tasks/items/")
    assert "/media/" not in done.content.decode()
    assert client.get(body["photo_url"]).status_code == 200


@pytest.mark.django_db
def test_a_broken_photo_is_refused_in_chinese(client: Any, users: Any, item: TaskItem) -> None:
    client.force_login(users.worker)
    response = _tick(client, item, status="done", photo="not-base64!", lat=26.5, lng=106.7)
    assert response.status_code == 422
    assert "图片" in response.json()["detail"]
