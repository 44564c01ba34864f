"""Visits are ledger work: an outsider (grid worker of another street) can neither record a
visit to a person outside their grid nor read one (404, the same as missing); a worker cannot
visit a person of the neighbouring grid."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.fieldwork.visits import visit_record
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork/visits"


def test_outsider_cannot_record_a_visit(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    with pytest.raises(ValidationError) as exc:
        visit_record(actor=users.outsider, person=person, purpose="care", findings="良好")
    assert "不存在或不在您的管辖范围内" in exc.value.messages


def test_worker_cannot_visit_a_person_of_another_grid(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_east"], care_kind())
    with pytest.raises(ValidationError):
        visit_record(actor=users.worker, person=person, purpose="care", findings="良好")


def test_outsider_cannot_read_a_visit(client: Client, city: Any, users: RoleUsers) -> None:
    kind = care_kind()
    weekly_rule(kind)
    person = tagged_person(city.grids["a1_west"], kind)
    visit, _ = visit_record(actor=users.worker, person=person, purpose="care", findings="良好")
    client.force_login(users.outsider)
    assert client.get(f"{API}/{visit.pk}").status_code == 404
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/due").json() == []
    client.force_login(users.secretary)
    assert client.get(f"{API}/{visit.pk}").json()["person_name"] == person.name
    assert len(client.get(f"{API}/due").json()) == 1


def test_resident_cannot_use_visits(client: Client, city: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    assert client.get(API).status_code == 403
    response = client.post(API, "{}", content_type="application/json")
    assert response.status_code == 403
