"""Changing the head of a household leaves exactly one member marked as head, whichever door
is used: the page, ``PATCH /households/{id}`` or ``POST /households/{id}/head``."""

from typing import Any

import pytest

from civicgrid.registry.choices import Relation
from civicgrid.registry.models import Household, Person
from civicgrid.registry.tests.conftest import Ledger
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


@pytest.fixture
def spouse(ledger: Ledger) -> Person:
    return make_person(
        ledger.household.grid, name="李芳", household=ledger.household, relation=Relation.SPOUSE
    )


def _heads(household: Household) -> list[str]:
    return list(
        Person.objects.filter(household=household, relation=Relation.HEAD).values_list(
            "name", flat=True
        )
    )


@pytest.mark.parametrize("door", ["patch", "post", "page"])
def test_one_head_after_the_change(
    client: Any, users: RoleUsers, ledger: Ledger, spouse: Person, door: str
) -> None:
    client.force_login(users.worker)
    pk = ledger.household.pk
    if door == "patch":
        response = client.patch(
            f"{API}/households/{pk}", {"head_id": spouse.pk}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["head_id"] == spouse.pk
    elif door == "post":
        response = client.post(
            f"{API}/households/{pk}/head", {"head_id": spouse.pk}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
    else:
        client.post(f"/registry/households/{pk}/head/", {"head": spouse.pk})
    ledger.household.refresh_from_db()
    assert ledger.household.head_id == spouse.pk
    assert _heads(ledger.household) == ["李芳"]


def test_head_must_be_a_member(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    stranger = make_person(ledger.household.grid, name="路人")
    client.force_login(users.worker)
    response = client.post(
        f"{API}/households/{ledger.household.pk}/head",
        {"head_id": stranger.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "户主必须是本户成员" in str(response.json())
    assert _heads(ledger.household) == ["王建国"]


def test_clearing_the_head_is_refused(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    response = client.patch(
        f"{API}/households/{ledger.household.pk}",
        {"head_id": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert _heads(ledger.household) == ["王建国"]
