from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from civicgrid.core import pii
from civicgrid.registry.models import Person
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity


def raw_id_number(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.fixture
def keys(settings: Any) -> tuple[str, str]:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    return old, new


@pytest.mark.django_db
def test_rotation_reencrypts_with_the_new_key(city: TestCity, keys: tuple[str, str]) -> None:
    old, new = keys
    person = make_person(city.grids["a1_west"], phone="13812345678")
    number = person.id_number
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        call_command("rotate_pii_keys", stdout=StringIO())
        rotated = raw_id_number(person.pk)
    # Only the new key is needed afterwards, history rows included.
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert pii.is_current(rotated)
        assert pii.decrypt(rotated) == number
        assert Person.objects.get(pk=person.pk).phone == "13812345678"
        assert Person.history.get().id_number == number


@pytest.mark.django_db
def test_old_key_alone_cannot_read_rotated_values(city: TestCity, keys: tuple[str, str]) -> None:
    old, new = keys
    person = make_person(city.grids["a1_west"])
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        pii.rotate_encrypted_fields()
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[old]),
        pytest.raises(Exception, match="decrypted"),
    ):
        Person.objects.get(pk=person.pk)


@pytest.mark.django_db
def test_values_sealed_before_the_gcm_format_are_read_and_rewritten(
    city: TestCity, keys: tuple[str, str]
) -> None:
    old, _ = keys
    person = make_person(city.grids["a1_west"])
    legacy = Fernet(old.encode()).encrypt(person.id_number.encode()).decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET id_number = %s WHERE id = %s", [legacy, person.pk]
        )
    assert Person.objects.get(pk=person.pk).id_number == person.id_number

    first = pii.rotate_encrypted_fields()

    assert first["registry.Person"] == 1
    assert pii.is_current(raw_id_number(person.pk))
    assert Person.objects.get(pk=person.pk).id_number == person.id_number


@pytest.mark.django_db
def test_a_second_run_rewrites_nothing(city: TestCity, keys: tuple[str, str]) -> None:
    """Values already under the current key are skipped: an interrupted rotation resumes."""
    old, new = keys
    make_person(city.grids["a1_west"])
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert pii.rotate_encrypted_fields()["registry.Person"] == 1
        assert pii.rotate_encrypted_fields()["registry.Person"] == 0
