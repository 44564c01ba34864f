import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civicgrid.cases.models import Case
from civicgrid.testing.users import RoleUsers


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media(tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def test_worker_uploads_a_photo(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.worker)
    response = client.post(f"/api/v1/cases/{case.pk}/photos", {"image": jpeg()})
    assert response.status_code == 201
    assert case.photos.count() == 1


def test_text_file_is_refused_in_chinese(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.worker)
    fake = SimpleUploadedFile("p.jpg", b"hello", content_type="image/jpeg")
    response = client.post(f"/api/v1/cases/{case.pk}/photos", {"image": fake})
    assert response.status_code == 422
    assert "无法识别" in response.json()["detail"]


def test_outsider_gets_404_on_photo_upload(client: Client, users: RoleUsers, case: Case) -> None:
    client.force_login(users.outsider)
    assert client.post(f"/api/v1/cases/{case.pk}/photos", {"image": jpeg()}).status_code == 404
