"""The visit form: errors by field in Chinese, a double submit stores one visit, a missing or
malformed target is a 4xx with words, never a 500."""

import re
from typing import Any

import pytest

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_page_helpers import due_person


@pytest.fixture
def person(city: Any) -> Any:
    return due_person(city.grids["a1_west"], "李奶奶", tagged_days_ago=10)


def _client_key(html: str) -> str:
    found = re.search(r'name="client_key" value="([0-9a-f]+)"', html)
    assert found, "the form carries a server-made client_key"
    return found.group(1)


@pytest.mark.django_db
def test_double_submit_stores_one_visit(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    page = client.get(f"/fieldwork/visits/new/?person={person.pk}")
    assert page.status_code == 200
    key = _client_key(page.content.decode())
    posted = {"person": person.pk, "purpose": "care", "findings": "老人身体尚好", "client_key": key}
    first = client.post("/fieldwork/visits/new/", posted)
    second = client.post("/fieldwork/visits/new/", posted)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == "/fieldwork/visits/"
    visit = Visit.objects.get()
    assert visit.person == person
    assert visit.household == person.household
    assert visit.grid_code == person.grid_code
    assert visit.worker == users.worker


@pytest.mark.django_db
def test_each_get_gets_a_new_key(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    url = f"/fieldwork/visits/new/?person={person.pk}"
    assert _client_key(client.get(url).content.decode()) != _client_key(
        client.get(url).content.decode()
    )


@pytest.mark.django_db
def test_errors_are_shown_by_field_in_chinese(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    response = client.post(
        "/fieldwork/visits/new/",
        {"person": person.pk, "purpose": "nonsense", "findings": "", "raise_case": "on"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请选择有效的走访事由" in html
    assert "请填写走访情况" in html
    assert "转为事件时请选择分类" in html
    assert "转为事件时请描述问题" in html
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_too_long_findings_are_refused(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    response = client.post(
        "/fieldwork/visits/new/",
        {"person": person.pk, "purpose": "routine", "findings": "好" * 1001},
    )
    assert response.status_code == 400
    assert "走访情况最多 1000 字" in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?person=abc", "?person=99999999999999999999999"])
def test_missing_or_bad_target_is_4xx(client: Any, users: Any, query: str) -> None:
    client.force_login(users.worker)
    response = client.get(f"/fieldwork/visits/new/{query}")
    assert response.status_code in (400, 404)


@pytest.mark.django_db
def test_without_a_target_the_page_says_what_to_do(client: Any, users: Any) -> None:
    client.force_login(users.worker)
    response = client.get("/fieldwork/visits/new/")
    assert response.status_code == 400
    assert "请从待走访名单或人员页面选择走访对象" in response.content.decode()


@pytest.mark.django_db
def test_a_household_may_be_visited(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    page = client.get(f"/fieldwork/visits/new/?household={person.household_id}")
    assert page.status_code == 200
    response = client.post(
        "/fieldwork/visits/new/",
        {
            "household": person.household_id,
            "purpose": "verify",
            "findings": "核实住户信息",
            "client_key": _client_key(page.content.decode()),
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.household_id == person.household_id and visit.person is None
