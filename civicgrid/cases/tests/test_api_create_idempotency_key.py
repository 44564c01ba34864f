"""POST /api/v1/cases/ with an ``Idempotency-Key`` header: a resend after a lost answer
gives back the case the first request made (200), never a second case."""

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import IN_A1_WEST, IN_B1
from civicgrid.testing.users import RoleUsers

BODY = {"channel": Channel.GRID_WORKER, "category": "0102", "description": "垃圾桶满溢",
        "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]}  # fmt: skip


def _post(client: Client, key: str = "", **extra: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        "/api/v1/cases/", json.dumps({**BODY, **extra}), content_type="application/json",
        **headers,
    )  # fmt: skip


@pytest.fixture
def worker(users: RoleUsers) -> Client:
    client = Client()
    client.force_login(users.worker)
    return client


def test_the_same_key_twice_makes_one_case(worker: Client) -> None:
    first = _post(worker, "phone-1-0001")
    again = _post(worker, "phone-1-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.count() == 1


def test_another_key_or_none_makes_another_case(worker: Client) -> None:
    _post(worker, "phone-1-0001")
    assert _post(worker, "phone-1-0002").status_code == 201
    assert _post(worker).status_code == 201
    assert _post(worker).status_code == 201
    assert Case.objects.count() == 4


def test_a_refused_request_leaves_its_key_free_for_the_corrected_one(worker: Client) -> None:
    assert _post(worker, "phone-1-0003", description=" ").status_code == 422
    assert _post(worker, "phone-1-0003").status_code == 201
    assert Case.objects.count() == 1


def test_a_key_is_at_most_64_characters(worker: Client) -> None:
    answer = _post(worker, "k" * 65)
    assert answer.status_code == 422
    assert "Idempotency-Key" in answer.json()["detail"]
    assert not Case.objects.exists()


def test_a_resend_of_a_report_filed_next_door_gets_the_receipt_again(worker: Client) -> None:
    first = _post(worker, "phone-1-0004", lat=IN_B1[0], lng=IN_B1[1])
    again = _post(worker, "phone-1-0004", lat=IN_B1[0], lng=IN_B1[1])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert "不在您的管辖范围内" in first.json()["message"]
    assert Case.objects.count() == 1
