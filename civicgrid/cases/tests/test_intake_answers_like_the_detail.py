"""POST /api/v1/cases/ answers from the objects intake holds, and the answer is what
GET /api/v1/cases/<id> shows of the same case (docs/architecture.md "Cases: intake")."""

import json
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.testing.cases import IN_A1_WEST, IN_B1, OUTSIDE
from civicgrid.testing.users import RoleUsers

BODY = {
    "channel": Channel.GRID_WORKER,
    "category": "0102",
    "description": "垃圾桶满溢",
    "address": "甲一路 3 号",
    "reporter_name": "张三丰",
    "reporter_phone": "13800005678",
}


def _post(client: Client, **extra: Any) -> Any:
    body = {**BODY, **extra}
    return client.post("/api/v1/cases/", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        ("worker", {"lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]}),
        ("worker", {"lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1], "urgent": True}),
        ("secretary", {"channel": Channel.WALK_IN}),
        ("command", {"channel": Channel.HOTLINE, "lat": OUTSIDE[0], "lng": OUTSIDE[1]}),
        ("resident", {"channel": Channel.RESIDENT, "lat": IN_A1_WEST[0], "lng": IN_A1_WEST[1]}),
    ],
)
def test_the_intake_answer_is_the_detail(users: RoleUsers, who: str, extra: dict[str, Any]) -> None:
    client = Client()
    client.force_login(getattr(users, who))
    created = _post(client, **extra)
    assert created.status_code == 201, created.content
    answer = created.json()
    detail = client.get(f"/api/v1/cases/{answer['id']}").json()
    shared = set(answer) & set(detail)
    assert shared == set(detail)
    assert {k: answer[k] for k in shared} == {k: detail[k] for k in shared}


def test_a_report_outside_the_reporters_jurisdiction_is_kept_but_not_shown(
    users: RoleUsers,
) -> None:
    from civicgrid.cases.models import Case

    client = Client()
    client.force_login(users.worker)
    created = _post(client, lat=IN_B1[0], lng=IN_B1[1])
    # Filed in street b, which the worker cannot open: a receipt with the number, not a 404
    # that a client would take for "not stored" and send again.
    assert created.status_code == 201
    receipt = created.json()
    filed = Case.objects.get(grid_code__startswith="520102002")
    assert (receipt["id"], receipt["number"]) == (filed.pk, filed.number)
    assert "不在您的管辖范围内" in receipt["message"]
    assert "description" not in receipt
    assert client.get(f"/api/v1/cases/{filed.pk}").status_code == 404
