"""One presenter per ledger entity decides what staff see (docs/architecture.md rule 7):
masked by default, plaintext only with the permission, and pages get the presented dicts,
never a model instance whose encrypted fields were decrypted on load."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Model

from civicgrid.registry.models import Dwelling, Organization, Person
from civicgrid.registry.presenters import present_dwelling, present_organization, present_person
from civicgrid.registry.tests.conftest import Ledger, grant
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_person_is_masked_by_default(users: RoleUsers, ledger: Ledger) -> None:
    shown = present_person(ledger.head, user=users.worker)
    number = ledger.head.id_number
    assert shown["id_number"] == f"{number[:4]}**********{number[-4:]}"
    assert shown["phone"] == "138****5678"
    assert shown["name"] == "王建国" and shown["relation_display"] == "户主"


def test_unmasked_needs_the_permission(users: RoleUsers, ledger: Ledger) -> None:
    with pytest.raises(PermissionDenied):
        present_person(ledger.head, user=users.worker, unmasked=True)
    grant(users.worker, "unmask_pii")
    shown = present_person(ledger.head, user=users.worker, unmasked=True)
    assert shown["id_number"] == ledger.head.id_number


def test_phones_of_dwellings_and_organisations_are_masked(users: RoleUsers, ledger: Ledger) -> None:
    ledger.dwelling.lessor_phone = "13900001111"
    ledger.organization.contact_phone = "13900002222"
    assert present_dwelling(ledger.dwelling, user=users.worker)["lessor_phone"] == "139****1111"
    shown = present_organization(ledger.organization, user=users.worker)
    assert shown["contact_phone"] == "139****2222"


def _instances(value: Any, seen: set[int] | None = None) -> list[Model]:
    """Model instances of the PII-holding kinds anywhere in a template context value."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Person | Dwelling | Organization):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in _instances(v, seen)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _instances(v, seen)]
    if hasattr(value, "object_list"):
        return _instances(list(value.object_list), seen)
    return []


@pytest.mark.parametrize(
    "page",
    [
        "/registry/people/{person}/",
        "/registry/people/",
        "/registry/households/{household}/",
        "/registry/dwellings/{dwelling}/",
        "/registry/buildings/{building}/",
        "/registry/organizations/{org}/",
        "/registry/organizations/",
        "/registry/search/?q=wjg",
        "/registry/gaps/",
        "/registry/moves/",
    ],
)
def test_templates_receive_no_person_dwelling_or_organisation_instance(
    client: Any, users: RoleUsers, ledger: Ledger, page: str
) -> None:
    client.force_login(users.worker)
    url = page.format(
        person=ledger.head.pk,
        household=ledger.household.pk,
        dwelling=ledger.dwelling.pk,
        building=ledger.building.pk,
        org=ledger.organization.pk,
    )
    response = client.get(url)
    assert response.status_code == 200
    leaked = [
        m for context in response.context for layer in context.dicts for m in _instances(layer)
    ]
    assert leaked == [], url
