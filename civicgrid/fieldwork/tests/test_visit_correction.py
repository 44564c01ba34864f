"""A ledger correction made on a visit ("collected once, used everywhere") goes through the
registry's service in the visit's transaction: the ledger history names the worker, a person
outside the worker's grid is refused, and a bad phone stores neither the correction nor the
visit."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.fieldwork.visits import visit_record
from civicgrid.registry.models import Person
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork/visits"


def test_correction_updates_the_person_with_history(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    _visit, created = visit_record(
        actor=users.worker,
        person=person,
        purpose="verify",
        findings="核实信息",
        correction={
            "phone": "13912345678",
            "presence": "registered_not_here",
            "occupation": "厨师",
        },
    )
    assert created
    person = Person.objects.get(pk=person.pk)
    assert person.phone == "13912345678"
    assert person.presence == "registered_not_here"
    assert person.occupation == "厨师"
    latest = person.history.order_by("-history_date").first()
    assert latest is not None and latest.history_user_id == users.worker.pk


def test_bad_phone_writes_nothing(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    before = person.history.count()
    with pytest.raises(ValidationError) as exc:
        visit_record(
            actor=users.worker,
            person=person,
            purpose="verify",
            findings="核实信息",
            correction={"phone": "12345", "occupation": "厨师"},
        )
    assert "手机号码应为以1开头的11位数字" in " ".join(exc.value.messages)
    assert not Visit.objects.filter(person=person).exists()
    person.refresh_from_db()
    assert person.occupation != "厨师"
    assert person.history.count() == before


def test_out_of_scope_person_refused(city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_east"], care_kind())
    with pytest.raises(ValidationError):
        visit_record(
            actor=users.worker,
            person=person,
            purpose="verify",
            findings="核实信息",
            correction={"occupation": "厨师"},
        )
    person.refresh_from_db()
    assert person.occupation != "厨师"


def test_api_correction_and_bad_field(client: Client, city: Any, users: RoleUsers) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    client.force_login(users.worker)
    body = {"person": person.pk, "findings": "核实", "correction": {"workplace": "某某公司"}}
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    person.refresh_from_db()
    assert person.workplace == "某某公司"
    bad = {"person": person.pk, "findings": "核实", "correction": {"presence": "nowhere"}}
    response = client.post(API, bad, content_type="application/json")
    assert response.status_code == 422
    assert Visit.objects.filter(person=person).count() == 1
