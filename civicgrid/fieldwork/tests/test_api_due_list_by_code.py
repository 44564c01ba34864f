"""The due list over the API narrows to a division or grid of the caller's jurisdiction
(``?code=``), as the 待走访 page does above a community; a code outside it is a 404 in Chinese,
a malformed one a 422."""

from typing import Any

import pytest

from civicgrid.fieldwork.tests.visit_page_helpers import due_person

pytestmark = pytest.mark.django_db

DUE = "/api/v1/fieldwork/visits/due"


def test_a_code_narrows_the_list_to_it(client: Any, users: Any, city: Any) -> None:
    due_person(city.grids["a1_west"], "久未访", tagged_days_ago=30)
    due_person(city.grids["a2"], "另一社区", tagged_days_ago=30)
    client.force_login(users.command)
    everyone = {row["label"] for row in client.get(DUE).json()}
    assert {"久未访", "另一社区"} <= everyone
    narrowed = client.get(DUE, {"code": city.comm_a2.code}).json()
    assert [row["label"] for row in narrowed] == ["另一社区"]


def test_a_code_outside_the_jurisdiction_is_not_found(client: Any, users: Any, city: Any) -> None:
    client.force_login(users.command)
    answer = client.get(DUE, {"code": city.comm_b1.code})
    assert answer.status_code == 404
    assert "管辖范围" in answer.json()["detail"]
    assert client.get(DUE, {"code": "52-01"}).status_code == 422
