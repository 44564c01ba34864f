from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection

from civicgrid.core.pii import blind_index
from civicgrid.registry.choices import PoliticalStatus, Sex
from civicgrid.registry.models import ImportJob, Person
from civicgrid.registry.tests.factories import make_person, resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_saving_a_person_derives_columns(city: TestCity) -> None:
    number = resident_id(male=False, born=date(1991, 3, 4))
    person = make_person(
        city.grids["a1_west"],
        name="李小红",
        id_number=number,
        phone="13812345678",
        political_status=PoliticalStatus.PARTY_MEMBER,
    )
    assert person.grid_code == city.grids["a1_west"].code
    assert person.name_initials == "lxh"
    assert person.birth_date == date(1991, 3, 4)
    assert person.sex == Sex.FEMALE
    assert person.is_party_member
    assert person.id_number_index == blind_index(number, purpose="id_number")
    assert Person.objects.get(phone_index=blind_index("13812345678", purpose="phone")) == person


def test_id_number_is_encrypted_in_the_row(city: TestCity) -> None:
    number = resident_id()
    person = make_person(city.grids["a1_west"], id_number=number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert number not in stored
    assert Person.objects.get(pk=person.pk).id_number == number


def test_two_current_people_cannot_share_an_id_number(city: TestCity) -> None:
    number = resident_id()
    make_person(city.grids["a1_west"], id_number=number)
    with pytest.raises(IntegrityError):
        make_person(city.grids["a2"], id_number=number)


def test_import_jobs_are_visible_to_their_uploader_and_area(
    users: RoleUsers, city: TestCity
) -> None:
    job = ImportJob.objects.create(
        kind="person",
        file="imports/x.csv",
        scope_code=city.grids["a1_west"].code,
        created_by=users.worker,
    )
    assert list(ImportJob.objects.visible_to(users.worker)) == [job]
    assert list(ImportJob.objects.visible_to(users.secretary)) == [job]
    assert list(ImportJob.objects.visible_to(users.outsider)) == []


def test_seeded_tag_kinds_include_schemas(db: Any) -> None:
    from civicgrid.registry.models import TagKind

    mental = TagKind.objects.get(code="mental_disorder")
    assert mental.sensitive
    assert mental.clean_attributes({"risk_level": "3"}) == {"risk_level": 3}
    correction = TagKind.objects.get(code="community_correction")
    assert len(correction.attribute_schema["correction_type"]["choices"]) == 4
