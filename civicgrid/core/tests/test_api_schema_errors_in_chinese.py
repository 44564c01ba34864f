"""Input that does not match an API schema is answered 422 with ninja's list of errors, each
message in Chinese and naming its field: the phone's outbox shows these messages to the grid
worker. The project's own Chinese messages pass unchanged."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.core.schemas import in_chinese
from civicgrid.testing.users import RoleUsers


def test_each_kind_of_error_reads_in_chinese() -> None:
    errors: list[dict[str, Any]] = [
        {"type": "missing", "loc": ["body", "payload", "findings"], "msg": "Field required"},
        {
            "type": "less_than_equal",
            "loc": ["query", "limit"],
            "msg": "Input should be less than or equal to 1000",
            "ctx": {"le": 1000},
        },
        {"type": "value_error", "loc": ["body", "phone"], "msg": "Value error, 手机号码不正确"},
        {"type": "some_new_kind", "loc": ["body"], "msg": "Something English"},
        {"loc": ["body", "reason"], "msg": "请填写查看事由"},
        {"type": "not_null", "loc": ["body", "name"], "msg": "不能为空值"},
        {
            "type": "literal_error",
            "loc": ["body", "satisfaction"],
            "msg": "Input should be 'satisfied', 'basic' or 'unsatisfied'",
            "ctx": {"expected": "'satisfied', 'basic' or 'unsatisfied'"},
        },
    ]
    assert [e["msg"] for e in in_chinese(errors)] == [
        "findings:必填",
        "limit:不能大于 1000",
        "phone:手机号码不正确",
        "输入不正确",
        "请填写查看事由",
        "不能为空值",
        "satisfaction:取值应为 'satisfied'、'basic'、'unsatisfied'",
    ]
    assert [e["loc"] for e in in_chinese(errors)] == [e["loc"] for e in errors]


@pytest.mark.django_db
def test_an_operation_answers_schema_errors_in_chinese(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    answer = client.get("/api/v1/geo/locate", {"lat": "abc", "lng": "106.7"})
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["query", "lat"] and error["msg"] == "lat:应为数字"
    posted = client.post("/api/v1/fieldwork/visits", "{}", content_type="application/json")
    assert posted.status_code == 422
    messages: Any = [e["msg"] for e in posted.json()["detail"]]
    assert messages and all("必填" in m or "应为" in m for m in messages), messages
