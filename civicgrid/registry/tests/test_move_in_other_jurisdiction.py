"""Move-in by ID number never reaches into another jurisdiction (docs/architecture.md "One way
in"): a person living elsewhere is refused with a Chinese message, and their record, name and
grid stay as they were."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from civicgrid.registry import services
from civicgrid.registry.choices import PersonStatus
from civicgrid.registry.models import Person, PersonMove
from civicgrid.registry.tests.conftest import Ledger
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_person,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"
REFUSED = "该证件号已在其他辖区登记,请由现居地网格员办理迁出"


@pytest.fixture
def elsewhere(city: TestCity) -> Person:
    """Someone living in grid b1 (the outsider's street), not the worker's."""
    return make_person(city.grids["b1"], name="孙五", id_number=resident_id())


def _unchanged(person: Person, grid_code: str) -> None:
    person.refresh_from_db()
    assert (person.name, person.grid_code, person.status) == ("孙五", grid_code, "living")
    assert not PersonMove.objects.exists()


def test_api_move_in_refuses_a_person_living_in_another_jurisdiction(
    client: Any, users: RoleUsers, ledger: Ledger, elsewhere: Person, city: TestCity
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"{API}/dwellings/{ledger.dwelling.pk}/move-in",
        {"name": "冒名", "id_number": elsewhere.id_number, "moved_on": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert REFUSED in str(response.json())
    _unchanged(elsewhere, city.grids["b1"].code)


def test_page_move_in_refuses_a_person_living_in_another_jurisdiction(
    client: Any, users: RoleUsers, ledger: Ledger, elsewhere: Person, city: TestCity
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"/registry/dwellings/{ledger.dwelling.pk}/move-in/",
        {
            "name": "冒名",
            "document_type": "ric",
            "id_number": elsewhere.id_number,
            "residency": "registered",
            "presence": "consistent",
            "moved_in_on": "2026-05-01",
        },
    )
    assert response.status_code == 200  # the form again, with the message
    assert REFUSED in response.content.decode()
    _unchanged(elsewhere, city.grids["b1"].code)


def test_someone_who_left_another_jurisdiction_is_registered_anew(
    users: RoleUsers, city: TestCity, elsewhere: Person
) -> None:
    # Moved away from b1 to outside the platform: a new record here, the old one untouched.
    services.person_move_out(
        actor=users.outsider, person=elsewhere, moved_on=date(2026, 1, 2), destination="外省"
    )
    dwelling = make_dwelling(make_building(city.grids["a1_west"]))
    arrived = services.person_move_in(
        actor=users.worker,
        dwelling=dwelling,
        moved_on=date(2026, 4, 1),
        name="孙五",
        id_number=elsewhere.id_number,
    )
    elsewhere.refresh_from_db()
    assert arrived.pk != elsewhere.pk
    assert (elsewhere.grid_code, elsewhere.status) == (
        city.grids["b1"].code,
        PersonStatus.MOVED_AWAY,
    )


def test_api_person_create_refuses_a_household_of_another_jurisdiction(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.outsider)
    response = client.post(
        f"{API}/persons",
        {"name": "混入", "household_id": ledger.household.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Person.objects.filter(name="混入").exists()


def test_services_check_every_row_they_touch(users: RoleUsers, ledger: Ledger) -> None:
    # Called directly (imports, other apps), the services refuse rows outside the actor's
    # jurisdiction even when the caller skipped access_*.
    with pytest.raises(ValidationError, match="管辖范围"):
        services.person_create(actor=users.outsider, household=ledger.household, name="混入")
    with pytest.raises(ValidationError, match="管辖范围"):
        services.dwelling_create(actor=users.outsider, building=ledger.building, room="909")
    with pytest.raises(ValidationError, match="管辖范围"):
        services.person_mark_deceased(
            actor=users.outsider, person=ledger.head, died_on=date(2026, 1, 1)
        )
