"""Input the database could not hold is refused before it gets there, in Chinese: a 4xx, not a
server error on PostgreSQL."""

from typing import Any

from django.test import Client

from civicgrid.cases.choices import Action
from civicgrid.cases.models import Case
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import IN_A1_WEST
from civicgrid.testing.users import RoleUsers


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/cases/{path}", body, content_type="application/json")


def test_overlong_intake_fields_get_chinese_messages(client: Client, users: RoleUsers) -> None:
    client.force_login(users.command)
    response = _post(
        client,
        "",
        {
            "channel": "hotline",
            "category": "0102",
            "description": "垃圾" * 1001,
            "lat": IN_A1_WEST[0],
            "lng": IN_A1_WEST[1],
            "address": "路" * 201,
            "reporter_name": "名" * 51,
        },
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    for message in ("描述最多 2000 字", "地点最多 200 字", "反映人姓名最多 50 字"):
        assert message in detail
    assert not Case.objects.exists()


def test_an_endless_extension_is_refused(client: Client, users: RoleUsers, case: Case) -> None:
    case = walk(case, users, until=Action.SIGN_FOR)
    client.force_login(users.department)
    response = _post(
        client, f"{case.pk}/request_extension", {"amount": "100000000", "note": "等材料"}
    )
    assert response.status_code == 409
    assert "不能超过 9999" in response.json()["detail"]
