"""拍照上报 from the phone's outbox (POST /api/v1/fieldwork/reports): the same client key sent
twice (the answer to the first was lost) gives one case and the same answer; bad input is a 4xx
with a Chinese reason the outbox shows; only grid workers may use it."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case, CasePhoto
from civicgrid.core.models import IdempotentRequest
from civicgrid.testing.case_pages import png_upload
from civicgrid.testing.cases import case_category
from civicgrid.testing.users import RoleUsers

URL = "/api/v1/fieldwork/reports"
# Inside grid a1_west of the test city.
INSIDE = {"lat": "26.505", "lng": "106.705"}

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(key: str = "9b7c1f7e-0000-4000-8000-000000000001", **extra: Any) -> dict[str, Any]:
    return {
        "category": str(case_category().pk),
        "description": "地下车库积水,电梯井进水",
        "client_key": key,
        **INSIDE,
        **extra,
    }


def test_the_same_key_twice_gives_one_case_and_the_same_answer(city: Any, users: RoleUsers) -> None:
    client = _client(users.worker)
    first = client.post(URL, {**_form(), "photos": [png_upload()]})
    second = client.post(URL, {**_form(), "photos": [png_upload()]})
    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert first.json() == second.json()
    case = Case.objects.get()
    assert first.json()["number"] == case.number
    assert first.json()["message"].startswith("已上报")
    assert case.channel == Channel.GRID_WORKER
    assert case.grid_code == city.grids["a1_west"].code
    assert CasePhoto.objects.filter(case=case).count() == 1
    assert IdempotentRequest.objects.get().scope == "fieldwork.report"


def test_another_key_is_another_case(users: RoleUsers) -> None:
    client = _client(users.worker)
    assert client.post(URL, _form("a")).status_code == 201
    assert client.post(URL, _form("b")).status_code == 201
    assert Case.objects.count() == 2


def test_photos_are_optional_and_an_address_replaces_a_fix(users: RoleUsers) -> None:
    data = _form(address="云岩区中华北路 12 号地下车库")
    del data["lat"], data["lng"]
    response = _client(users.worker).post(URL, data)
    assert response.status_code == 201, response.content
    assert Case.objects.get().address.startswith("云岩区")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"category": "999999"}, "事件小类"),
        ({"lat": "39.9", "lng": "116.4"}, "不在本市范围"),
        ({"lat": "126.5"}, "坐标超出范围"),
        ({"lat": "", "lng": ""}, "请填写地点"),
        ({"description": "   "}, "请描述问题"),
        ({"client_key": "x" * 65}, "client_key"),
    ],
)
def test_bad_input_is_422_with_a_chinese_reason_and_no_key_is_kept(
    users: RoleUsers, change: dict[str, str], reason: str
) -> None:
    data = {k: v for k, v in {**_form(), **change}.items() if v != ""}
    response = _client(users.worker).post(URL, data)
    assert response.status_code == 422, response.content
    assert reason in str(response.json()["detail"])
    assert not Case.objects.exists()
    assert not IdempotentRequest.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(users: RoleUsers) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scene.jpg", b"not an image at all", content_type="image/jpeg")
    response = _client(users.worker).post(URL, {**_form(), "photos": [fake]})
    assert response.status_code == 422
    assert "照片" in response.json()["detail"] or "图片" in response.json()["detail"]
    assert not Case.objects.exists()


def test_an_oversized_body_is_413(users: RoleUsers, settings: Any) -> None:
    from civicgrid.fieldwork import report_api

    response = _client(users.worker).post(
        URL, _form(), CONTENT_LENGTH=str(report_api.REPORT_MAX_BYTES + 1)
    )
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]


@pytest.mark.parametrize("role", ["resident", "department", "auditor", "cadre"])
def test_only_grid_workers_report_from_the_phone(users: RoleUsers, role: str) -> None:
    response = _client(getattr(users, role)).post(URL, _form())
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_anonymous_is_401(users: RoleUsers) -> None:
    assert Client().post(URL, _form()).status_code == 401


def test_a_report_away_from_ones_own_grids_says_where_it_went(city: Any, users: RoleUsers) -> None:
    answer = _client(users.worker).post(
        URL, {**_form(key="away-from-home"), "lat": "26.505", "lng": "106.735"}
    )
    assert answer.status_code == 201, answer.content
    assert city.grids["b1"].name in answer.json()["message"]
    assert "不在您的网格内" in answer.json()["message"]
    home = _client(users.worker).post(URL, _form(key="at-home")).json()["message"]
    assert "不在您的网格内" not in home
