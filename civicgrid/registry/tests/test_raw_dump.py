"""Read the raw database the way an attacker with a copy would: no plaintext ID number or
phone may appear in any table, history tables included."""

from datetime import date

import pytest
from django.db import connection

from civicgrid.registry.models import Dwelling, Organization, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_person,
    resident_id,
)
from civicgrid.testing.city import TestCity


def raw_dump() -> str:
    """Every value of every table, read with raw SQL."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.mark.django_db
def test_raw_database_holds_no_plaintext_id_number_or_phone(city: TestCity) -> None:
    number = resident_id(born=date(1975, 8, 9))
    grid = city.grids["a1_west"]
    person = make_person(grid, id_number=number, phone="13987654321", address="多福巷3号2单元501")
    person.phone = "13700001111"
    person.save()  # a second history row
    building = make_building(grid)
    make_dwelling(building, lessor_phone="13611112222")
    Organization.objects.create(
        grid=grid, name="甲店", address="多福巷1号", contact_phone="13533334444"
    )
    dump = raw_dump()
    assert "registry_historicalperson" in connection.introspection.table_names()
    assert Person.history.count() == 2
    for secret in [
        number,
        number[:17],
        "13987654321",
        "13700001111",
        "13611112222",
        "13533334444",
        "多福巷3号2单元501",
    ]:
        assert secret not in dump, secret
    assert Dwelling.objects.get().lessor_phone == "13611112222"
