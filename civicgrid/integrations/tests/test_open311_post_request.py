"""POST requests: a valid key files a case (channel open311); no key or a bad key → 403 in the
spec's error format."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import IN_A1_WEST, IN_B1

pytestmark = pytest.mark.django_db

FORM = {
    "service_code": "0102",
    "lat": str(IN_A1_WEST[0]),
    "long": str(IN_A1_WEST[1]),
    "description": "路边垃圾三天没人清",
    "first_name": "小明",
    "last_name": "王",
    "phone": "13812345678",
    "email": "wang@example.cn",
    "media_url": "https://img.example.cn/1.jpg",
    "attribute[urgent]": "1",
}


def test_post_with_a_valid_key_files_a_case(open311_key: Any) -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/open311/v2/requests.json", {**FORM, "api_key": open311_key.raw}
    )
    assert response.status_code == 200, response.content
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.channel == Channel.OPEN311
    assert case.category.code == "0102" and case.urgent
    assert case.reporter_name == "王 小明" and case.reporter_phone == "13812345678"
    assert "https://img.example.cn/1.jpg" in case.description
    assert case.first_owner == open311_key.row.service_user


def test_post_answers_xml(open311_key: Any) -> None:
    form = {
        **FORM,
        "api_key": open311_key.raw,
        "lat": "",
        "long": "",
        "address_string": "甲街道1号",
    }
    response = Client().post("/open311/v2/requests.xml", form)
    assert response.status_code == 200, response.content
    root = ET.fromstring(response.content)
    number = root.findtext("request/service_request_id")
    assert Case.objects.filter(number=number, channel=Channel.OPEN311).exists()


@pytest.mark.parametrize("api_key", [None, "", "civ_00000000_nope", "garbage"])
def test_missing_or_bad_key_is_403_in_format(city: Any, api_key: Any) -> None:
    form = dict(FORM) if api_key is None else {**FORM, "api_key": api_key}
    response = Client().post("/open311/v2/requests.json", form)
    assert response.status_code == 403
    [error] = response.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    response = Client().post("/open311/v2/requests.xml", form)
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert not Case.objects.exists()


def test_missing_location_and_unknown_service(open311_key: Any) -> None:
    client = Client()
    form = {**FORM, "api_key": open311_key.raw, "lat": "", "long": ""}
    assert client.post("/open311/v2/requests.json", form).status_code == 400
    form = {**FORM, "api_key": open311_key.raw, "service_code": "9999"}
    assert client.post("/open311/v2/requests.json", form).status_code == 404
    form = {**FORM, "api_key": open311_key.raw, "lat": "north"}
    assert client.post("/open311/v2/requests.json", form).status_code == 400


def test_a_point_outside_the_key_jurisdiction_is_refused(open311_key: Any) -> None:
    form = {**FORM, "api_key": open311_key.raw, "lat": str(IN_B1[0]), "long": str(IN_B1[1])}
    response = Client().post("/open311/v2/requests.json", form)
    assert response.status_code == 400
    assert not Case.objects.exists()
