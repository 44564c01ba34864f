"""The same work order sent twice is one case and gets the same answer."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.integrations.models import HotlineOrder, HotlineOrderUpdate
from civicgrid.testing.cases import IN_A1_WEST

pytestmark = pytest.mark.django_db

URL = "/api/v1/integrations/hotline/orders"
ORDER: dict[str, Any] = {
    "order_no": "GY2026112300017",
    "received_at": "2026-11-23T09:30:00+08:00",
    "caller_name": "张三",
    "caller_phone": "13900001111",
    "address": "甲一社区幸福路 3 号",
    "category": "0102",
    "content": "小区门口垃圾两天未清运",
    "deadline": "2026-11-26T18:00:00+08:00",
    "lat": IN_A1_WEST[0],
    "lng": IN_A1_WEST[1],
}


def post(key: Any, body: dict[str, Any]) -> Any:
    return Client().post(URL, data=body, content_type="application/json", **key.headers)


def test_same_order_twice_is_one_case_and_the_same_answer(hotline_key: Any) -> None:
    first = post(hotline_key, ORDER)
    assert first.status_code == 200, first.content
    second = post(hotline_key, ORDER)
    assert second.status_code == 200
    assert first.json() == second.json()
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.channel == Channel.HOTLINE
    assert case.number == first.json()["case_number"]
    assert case.reporter_name == "张三" and case.reporter_phone == "13900001111"
    order = HotlineOrder.objects.get()
    assert order.case == case and order.deadline is not None
    assert not HotlineOrderUpdate.objects.exists()


def test_answer_carries_no_personal_data(hotline_key: Any) -> None:
    text = post(hotline_key, ORDER).content.decode()
    assert "张三" not in text and "13900001111" not in text
