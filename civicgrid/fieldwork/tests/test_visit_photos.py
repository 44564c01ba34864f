"""Photos taken on a visit: sent inside the JSON by the phone's outbox (base64) or uploaded by
the page form, checked all before anything is stored, stored once however often the phone
resends, and shown only to those who may see the visit."""

import base64
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civicgrid.fieldwork.models import Visit, VisitPhoto
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.testing.users import RoleUsers

URL = "/api/v1/fieldwork/visits"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def _data_url() -> str:
    return "data:image/jpeg;base64," + base64.b64encode(_jpeg()).decode()


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture
def person(city: Any) -> Any:
    return tagged_person(city.grids["a1_west"], care_kind())


def test_the_outbox_sends_photos_in_the_json_once(
    client: Client, users: RoleUsers, person: Any
) -> None:
    client.force_login(users.worker)
    body = {
        "person": person.pk,
        "purpose": "care",
        "findings": "厨房墙面渗水",
        "client_key": "k-photo",
        "photos": [_data_url(), _data_url()],
    }
    first = _post(client, body)
    again = _post(client, body)
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert len(first.json()["photos"]) == 2
    assert VisitPhoto.objects.count() == 2  # the resend stored nothing more
    thumb = client.get(first.json()["photos"][0]["thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    full = client.get(first.json()["photos"][0]["url"])
    assert full.status_code == 200


def test_a_bad_photo_stores_nothing(client: Client, users: RoleUsers, person: Any) -> None:
    client.force_login(users.worker)
    body = {
        "person": person.pk,
        "purpose": "care",
        "findings": "良好",
        "photos": [_data_url(), base64.b64encode(b"not an image").decode()],
    }
    response = _post(client, body)
    assert response.status_code == 422
    assert "图片" in response.json()["detail"] or "照片" in response.json()["detail"]
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()


def test_at_most_three_photos(client: Client, users: RoleUsers, person: Any) -> None:
    client.force_login(users.worker)
    body = {"person": person.pk, "purpose": "care", "findings": "良好", "photos": [_data_url()] * 4}
    assert _post(client, body).status_code == 422
    assert not Visit.objects.exists()


def test_another_streets_worker_cannot_see_the_photo(
    client: Client, users: RoleUsers, person: Any
) -> None:
    client.force_login(users.worker)
    made = _post(
        client,
        {"person": person.pk, "purpose": "care", "findings": "良好", "photos": [_data_url()]},
    )
    url = made.json()["photos"][0]["url"]
    client.force_login(users.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 403)


def test_the_page_form_takes_photos_and_the_visit_page_shows_them(
    client: Client, users: RoleUsers, person: Any
) -> None:
    client.force_login(users.worker)
    photo = SimpleUploadedFile("door.jpg", _jpeg(), content_type="image/jpeg")
    posted = {"person": person.pk, "purpose": "care", "findings": "楼道堆物", "photos": photo}
    response = client.post("/fieldwork/visits/new/", posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    assert visit.photos.count() == 1
    page = client.get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert f"/fieldwork/visits/{visit.pk}/photos/" in page and "/media/" not in page
