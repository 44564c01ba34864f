"""Who reaches the visit pages: ledger readers read, ledger writers record; the auditor, a
department handler and a resident are refused; a grid worker of another street finds no visit
and no person of this one (404, as if missing)."""

from typing import Any

import pytest

from civicgrid.fieldwork.tests.visit_page_helpers import due_person, make_visit

PAGES = [
    "/fieldwork/visits/",
    "/fieldwork/visits/new/?person={person}",
    "/fieldwork/visits/{visit}/",
]


@pytest.fixture
def world(users: Any, city: Any) -> dict[str, Any]:
    person = due_person(city.grids["a1_west"], "李奶奶", tagged_days_ago=3)
    return {"person": person.pk, "visit": make_visit(users.worker, person).pk}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "department", "resident"])
@pytest.mark.parametrize("page", PAGES)
def test_roles_without_ledgers_are_refused(
    client: Any, users: Any, world: dict[str, Any], role: str, page: str
) -> None:
    client.force_login(getattr(users, role))
    response = client.get(page.format(**world))
    assert response.status_code == 403
    assert "李奶奶" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client: Any, world: dict[str, Any], page: str) -> None:
    response = client.get(page.format(**world))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "accounts" in response["Location"]


@pytest.mark.django_db
def test_outsider_gets_404_on_the_visit_and_the_person(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    client.force_login(users.outsider)
    assert client.get(f"/fieldwork/visits/{world['visit']}/").status_code == 404
    assert client.get(f"/fieldwork/visits/new/?person={world['person']}").status_code == 404
    listing = client.get("/fieldwork/visits/")
    assert listing.status_code == 200
    assert "李奶奶" not in listing.content.decode()


@pytest.mark.django_db
def test_owner_and_supervisors_read(client: Any, users: Any, world: dict[str, Any]) -> None:
    for user in (users.worker, users.cadre, users.secretary, users.command):
        client.force_login(user)
        for page in PAGES:
            response = client.get(page.format(**world))
            assert response.status_code == 200, (user.role, page)


@pytest.mark.django_db
def test_detail_names_the_person_never_id_or_phone(client: Any, users: Any, city: Any) -> None:
    person = due_person(city.grids["a1_west"], "赵大爷", tagged_days_ago=3)
    person.phone = "13812345678"
    person.save()
    visit = make_visit(users.worker, person, findings="<b>腿脚不便</b>")
    client.force_login(users.secretary)
    html = client.get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert "赵大爷" in html
    assert "13812345678" not in html and "5678" not in html
    assert person.id_number not in html
    # What the worker typed is shown as text, never as markup.
    assert "&lt;b&gt;腿脚不便&lt;/b&gt;" in html
