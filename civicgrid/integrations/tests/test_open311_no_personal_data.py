"""No GET answer of the Open311 server carries the reporter's name or phone, staff names, the
description or the place: only what public tracking shows."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import case_transition
from civicgrid.testing.cases import IN_A1_WEST

pytestmark = pytest.mark.django_db

SECRETS = ["王", "小明", "13812345678", "5678", "秘密描述", "幸福路88号"]


def test_no_personal_data_in_any_get(users: Any, open311_key: Any) -> None:
    users.secretary.full_name = "李书记"
    users.secretary.save()
    client = Client()
    form = {
        "api_key": open311_key.raw,
        "service_code": "0102",
        "lat": str(IN_A1_WEST[0]),
        "long": str(IN_A1_WEST[1]),
        "address_string": "幸福路88号",
        "description": "秘密描述",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13812345678",
    }
    [answer] = client.post("/open311/v2/requests.json", form).json()
    number = answer["service_request_id"]
    case = Case.objects.get(number=number)
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary, note="内部备注")
    staff = [users.secretary.full_name, users.secretary.username, "内部备注"]
    for url in (
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{number}.json",
        f"/open311/v2/requests/{number}.xml",
        f"/open311/v2/requests.json?service_request_id={number}",
        f"/open311/v2/tokens/{number}.xml",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert number in text, url
        for secret in [*SECRETS, *staff]:
            assert secret not in text, (url, secret)
