"""The issue form answers bad input with Chinese errors next to the fields and writes
nothing; a good form issues the task with its attachment (served through the access-checked
view), and a resubmitted form (same client key) does not issue it twice."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicgrid.fieldwork.models import GridTask, TaskItem


@pytest.mark.django_db
def test_bad_input_is_shown_in_chinese_and_nothing_is_written(
    client: Any, city: Any, users: Any
) -> None:
    client.force_login(users.secretary)
    response = client.post(
        "/fieldwork/tasks/new/",
        {
            "title": "",
            "deadline_days": "0",
            "grids": [str(city.grids["b1"].pk)],
            "checklist": "none",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写任务名称" in page
    assert "工作日数应在 1 到 60 之间" in page
    assert "所选网格不存在或不在您的管辖范围内" in page
    assert not GridTask.objects.exists()


@pytest.mark.django_db
def test_missing_target_and_deadline_are_refused(client: Any, city: Any, users: Any) -> None:
    client.force_login(users.secretary)
    response = client.post("/fieldwork/tasks/new/", {"title": "入户宣传", "checklist": "none"})
    assert response.status_code == 400
    assert "请填写完成时限" in response.content.decode()
    response = client.post(
        "/fieldwork/tasks/new/", {"title": "入户宣传", "checklist": "none", "deadline_days": "2"}
    )
    assert "请选择任务下发的网格、社区或街道" in response.content.decode()
    assert not GridTask.objects.exists()


@pytest.mark.django_db
def test_issue_with_an_attachment_once(client: Any, city: Any, users: Any) -> None:
    client.force_login(users.secretary)
    data = {
        "title": "消防通道清理",
        "deadline_days": "3",
        "region": city.comm_a1.code,
        "checklist": "none",
        "client_key": "form-1",
        "attachments": SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test", "application/pdf"),
    }
    response = client.post("/fieldwork/tasks/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = GridTask.objects.get()
    assert TaskItem.objects.filter(task=task).count() == 2  # one per grid of the community
    attachment = task.attachments.get()
    assert attachment.name == "通知.pdf"
    data["attachments"] = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test", "application/pdf")
    client.post("/fieldwork/tasks/new/", data)
    assert GridTask.objects.count() == 1
    client.force_login(users.worker)
    download = client.get(f"/fieldwork/tasks/{task.pk}/files/{attachment.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
