"""A multipart body without a boundary is a client error (400) with a Chinese message, on the
pages and in the API, never a server error."""

from django.test import Client

from civicgrid.cases.models import Case
from civicgrid.testing.users import RoleUsers

BROKEN = {"data": b"--x\r\nbroken", "content_type": "multipart/form-data"}


def test_api_photo_upload_answers_400_in_json(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.worker)
    response = client.post(f"/api/v1/cases/{case.pk}/photos", **BROKEN)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.json()["detail"]


def test_staff_intake_page_answers_400_in_chinese(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    response = client.post("/cases/new/", **BROKEN)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "提交的内容无法解析" in response.content.decode()


def test_resident_submit_page_answers_400_in_chinese(client: Client, users: RoleUsers) -> None:
    client.force_login(users.resident)
    response = client.post("/cases/submit/", **BROKEN)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "提交的内容无法解析" in response.content.decode()


def test_action_form_answers_400_in_chinese(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.secretary)
    response = client.post(f"/cases/{case.pk}/act/accept/", **BROKEN)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "提交的内容无法解析" in response.content.decode()


def test_tracking_answers_400_in_chinese(client: Client, users: RoleUsers) -> None:
    response = client.post("/cases/track/", **BROKEN)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "提交的内容无法解析" in response.content.decode()
