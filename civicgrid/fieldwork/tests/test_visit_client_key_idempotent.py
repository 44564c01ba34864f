"""A visit queued offline and sent twice with the same client_key is stored once, and the
second answer is the same visit (the API answers 201 then 200)."""

import json
from typing import Any

from django.test import Client

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.fieldwork.visits import visit_record
from civicgrid.testing.users import RoleUsers


def test_same_key_twice_in_the_service_is_one_visit(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    first, created = visit_record(
        actor=users.worker, person=person, purpose="care", findings="良好", client_key="k-1"
    )
    again, created_again = visit_record(
        actor=users.worker, person=person, purpose="care", findings="良好", client_key="k-1"
    )
    assert created and not created_again
    assert first.pk == again.pk
    assert Visit.objects.count() == 1
    assert first.household_id == person.household_id
    assert first.grid_code == person.grid_code


def test_same_key_twice_through_the_api(client: Client, city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    client.force_login(users.worker)
    body = json.dumps(
        {"person": person.pk, "purpose": "care", "findings": "身体良好", "client_key": "k-2"}
    )
    first = client.post("/api/v1/fieldwork/visits", body, content_type="application/json")
    second = client.post("/api/v1/fieldwork/visits", body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assert first.json() == second.json()
    assert Visit.objects.count() == 1
